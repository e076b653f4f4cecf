package dev.baton.agent;

import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs an agent with the runners built into this server: finds its definition, gives the runner its
 * deadline, stores its progress events in batches and follows it with the run monitor (the caller
 * relay). What keeps the run alive is the caller's {@link Beat}: the agent activity heartbeats
 * Temporal, an eager run ({@link dev.baton.execution.EagerRuns}) checks whether it was cancelled.
 */
public final class AgentRun {
  private final AgentCatalog agents;
  private final AgentRunners runners;
  private final RunMonitor monitor;
  private final Clock clock;
  private final EventRecorder events;
  private final EventLimits eventLimits;

  public AgentRun(
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

  /**
   * Each runner heartbeat after the monitor's checks: throws {@link AgentCancelledException} to
   * stop the run.
   */
  @FunctionalInterface
  public interface Beat {
    void beat(String progress);
  }

  /**
   * @throws AgentFailedException the agent failed, or is not defined here ({@link
   *     ExecutionError#AGENT_NOT_RUNNABLE})
   * @throws AgentCancelledException the run was stopped: by the monitor or a {@link #stop}, then
   *     {@link #stopRequest} says why; or by the beat, then its exception is the cause
   */
  public AgentOutput run(AgentInvocation invocation, Beat beat) {
    AgentDefinition agent =
        agents
            .find(invocation.agent())
            .orElseThrow(
                () ->
                    new AgentFailedException(
                        ExecutionError.AGENT_NOT_RUNNABLE,
                        "agent '" + invocation.agent() + "' is not defined on this worker"));
    Instant deadline = clock.instant().plus(invocation.timeout());
    EventBatcher batcher = new EventBatcher(invocation.executionId(), events, eventLimits, clock);
    try (RunMonitor.Handle handle = monitor.open(invocation)) {
      try {
        return runners
            .get(agent.runner())
            .run(agent, invocation, new MonitoredContext(deadline, handle, batcher, beat));
      } finally {
        // Stored before the run ends, so before the execution's terminal status.
        batcher.flush(true);
      }
    }
  }

  /** The exception a beat throws to stop the run for {@code request}'s reason. */
  public static AgentCancelledException stop(RunMonitor.StopRequest request) {
    return new AgentCancelledException(request.reason(), new Stopped(request));
  }

  /** Why the run was stopped, when a monitor or {@link #stop} stopped it. */
  public static Optional<RunMonitor.StopRequest> stopRequest(AgentCancelledException e) {
    return e.getCause() instanceof Stopped stopped
        ? Optional.of(stopped.request)
        : Optional.empty();
  }

  /** Carries a stop request through the runner's cancellation. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RunMonitor.StopRequest request;

    Stopped(RunMonitor.StopRequest request) {
      super(request.reason(), null, false, false);
      this.request = request;
    }
  }

  /**
   * Stores progress events in batches, tells the monitor the latest progress (the latest event's
   * short text, or the heartbeat's when no event came since the previous heartbeat) and stops the
   * run when the monitor asks (the caller cancelled or is gone), then beats.
   */
  private static final class MonitoredContext implements RunContext {
    private final Instant deadline;
    private final RunMonitor.Handle monitor;
    private final EventBatcher events;
    private final Beat beat;
    private volatile boolean eventSinceHeartbeat;

    MonitoredContext(Instant deadline, RunMonitor.Handle monitor, EventBatcher events, Beat beat) {
      this.deadline = deadline;
      this.monitor = monitor;
      this.events = events;
      this.beat = beat;
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
        throw stop(stop.get());
      }
      beat.beat(progress);
    }
  }
}
