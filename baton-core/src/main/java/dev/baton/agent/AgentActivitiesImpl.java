package dev.baton.agent;

import dev.baton.execution.ExecutionError;
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

  public AgentActivitiesImpl(
      AgentCatalog agents, AgentRunners runners, RunMonitor monitor, Clock clock) {
    this.agents = agents;
    this.runners = runners;
    this.monitor = monitor;
    this.clock = clock;
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
    try (RunMonitor.Handle handle = monitor.open(invocation)) {
      return runners
          .get(agent.runner())
          .run(agent, invocation, new TemporalRunContext(context, deadline, handle));
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
   * Heartbeats the agent-runner activity (Temporal's answer carries cancellation) and tells the
   * monitor the runner's progress (the monitor may ask to stop: the caller cancelled or is gone).
   */
  private record TemporalRunContext(
      ActivityExecutionContext context, Instant deadline, RunMonitor.Handle monitor)
      implements RunContext {

    @Override
    public void heartbeat(String progress) {
      monitor.progress(progress);
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
