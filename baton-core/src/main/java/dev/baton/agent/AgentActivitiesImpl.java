package dev.baton.agent;

import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;

/** Serves the agent-runner activity with the runners built into this server. */
public final class AgentActivitiesImpl implements AgentActivities {
  private final AgentCatalog agents;
  private final AgentRunners runners;
  private final RunMonitor monitor;
  private final Clock clock;
  private final EventRecorder events;
  private final EventLimits eventLimits;

  /** Serves runs whose progress events are not stored. */
  public AgentActivitiesImpl(
      AgentCatalog agents, AgentRunners runners, RunMonitor monitor, Clock clock) {
    this(agents, runners, monitor, clock, EventRecorder.NONE, EventLimits.DEFAULT);
  }

  /** Serves runs whose progress events go to {@code events}, in batches within the limits. */
  public AgentActivitiesImpl(
      AgentCatalog agents,
      AgentRunners runners,
      RunMonitor monitor,
      Clock clock,
      EventRecorder events,
      EventLimits eventLimits) {
    this.agents = agents;
    this.runners = runners;
    this.monitor = monitor;
    this.clock = clock;
    this.events = events;
    this.eventLimits = eventLimits;
  }

  @Override
  public AgentOutput run(AgentInvocation invocation) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    AgentDefinition agent =
        agents
            .find(invocation.agent())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "agent '" + invocation.agent() + "' is not defined on this worker",
                        ExecutionError.AGENT_NOT_RUNNABLE));
    Instant deadline = clock.instant().plus(invocation.timeout());
    EventBatcher batcher = new EventBatcher(invocation.executionId(), events, eventLimits, clock);
    try (RunMonitor.Handle handle = monitor.open(invocation)) {
      try {
        return runners
            .get(agent.runner())
            .run(agent, invocation, new TemporalRunContext(context, deadline, handle, batcher));
      } finally {
        // Stored before the activity ends, so before the execution's terminal status.
        batcher.flush(true);
      }
    } catch (AgentFailedException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.type());
    } catch (AgentCancelledException e) {
      // Rethrow what Temporal raised so the SDK reports the activity as cancelled.
      if (e.getCause() instanceof ActivityCompletionException completion) {
        throw completion;
      }
      if (e.getCause() instanceof MonitorStop stop) {
        throw ApplicationFailure.newNonRetryableFailure(
            stop.request.reason(), stop.request.errorType());
      }
      throw e;
    }
  }

  /** Carries the monitor's stop request through the runner's cancellation. */
  private static final class MonitorStop extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RunMonitor.StopRequest request;

    MonitorStop(RunMonitor.StopRequest request) {
      super(request.reason(), null, false, false);
      this.request = request;
    }
  }

  /**
   * Heartbeats the agent-runner activity (Temporal's answer carries cancellation), stores progress
   * events in batches and tells the monitor the latest progress: the latest event's short text, or
   * the heartbeat's when no event came since the previous heartbeat (the monitor may ask to stop:
   * the caller cancelled or is gone).
   */
  private static final class TemporalRunContext implements RunContext {
    private final ActivityExecutionContext context;
    private final Instant deadline;
    private final RunMonitor.Handle monitor;
    private final EventBatcher events;
    private volatile boolean eventSinceHeartbeat;

    TemporalRunContext(
        ActivityExecutionContext context,
        Instant deadline,
        RunMonitor.Handle monitor,
        EventBatcher events) {
      this.context = context;
      this.deadline = deadline;
      this.monitor = monitor;
      this.events = events;
    }

    @Override
    public Instant deadline() {
      return deadline;
    }

    @Override
    public void event(ExecutionEvent.Type type, String text, String data) {
      events.add(type, text, data);
      eventSinceHeartbeat = true;
      monitor.progress(events.latest());
      events.flushIfDue();
    }

    @Override
    public void heartbeat(String progress) {
      events.flushIfDue();
      if (!eventSinceHeartbeat || events.latest() == null) {
        monitor.progress(progress);
      }
      eventSinceHeartbeat = false;
      var stop = monitor.stopRequested();
      if (stop.isPresent()) {
        throw new AgentCancelledException(stop.get().reason(), new MonitorStop(stop.get()));
      }
      try {
        context.heartbeat(progress);
      } catch (ActivityCompletionException e) {
        throw new AgentCancelledException("the execution was cancelled", e);
      }
    }
  }
}
