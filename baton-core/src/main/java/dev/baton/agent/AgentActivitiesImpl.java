package dev.baton.agent;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;

/**
 * Serves the agent-runner activity with the runners built into this server; its heartbeats reach
 * Temporal, whose answer carries cancellation.
 */
public final class AgentActivitiesImpl implements AgentActivities {
  /** How often an activity waiting for an agent slot heartbeats (and sees a cancellation). */
  static final Duration SLOT_WAIT_BEAT = Duration.ofSeconds(2);

  private final AgentRun agentRun;
  private final AgentSlots slots;
  private final AttemptRuns attempts;

  /** Serves runs whose progress events are not stored. */
  public AgentActivitiesImpl(
      AgentCatalog agents, AgentRunners runners, RunMonitor monitor, Clock clock) {
    this(
        new AgentRun(agents, runners, monitor, clock, EventRecorder.NONE, EventLimits.DEFAULT),
        AgentSlots.unlimited(),
        null);
  }

  /**
   * @param slots taken for each run, shared with the server's eager runs
   * @param attempts the runs a retried attempt may take over, when this activity runs inside {@link
   *     AttemptRuns#around}; null when not: then any end of its attempt stops the run
   */
  public AgentActivitiesImpl(AgentRun agentRun, AgentSlots slots, AttemptRuns attempts) {
    this.agentRun = agentRun;
    this.slots = slots;
    this.attempts = attempts;
  }

  @Override
  public AgentOutput run(AgentInvocation invocation) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    takeSlot(context);
    try {
      return agentRun.run(
          invocation,
          progress -> {
            if (attempts == null) {
              AttemptRuns.heartbeat(context, progress);
            } else {
              attempts.beat(invocation, context, progress);
            }
          });
    } catch (RuntimeException e) {
      throw activityFailure(e);
    } finally {
      slots.release();
    }
  }

  /** Waits for an agent slot, heartbeating, so a cancellation ends the wait. */
  private void takeSlot(ActivityExecutionContext context) {
    try {
      while (!slots.take(SLOT_WAIT_BEAT)) {
        context.heartbeat("waiting for one of this server's agent slots");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting for an agent slot", "AgentSlotWaitInterrupted");
    }
  }

  /**
   * What the activity throws for a run that ended with {@code e}: a non-retryable failure of the
   * agent's error type for a failure or a stop with a reason, Temporal's own exception for
   * Temporal's cancellation (so the SDK reports the activity as cancelled), {@code e} itself (so
   * Temporal retries) otherwise.
   */
  public static RuntimeException activityFailure(RuntimeException e) {
    if (e instanceof AgentFailedException failed) {
      return outcome(failed.getMessage(), failed.type());
    }
    if (e instanceof AgentCancelledException cancelled) {
      if (cancelled.getCause() instanceof ActivityCompletionException completion) {
        return completion;
      }
      var stop = AgentRun.stopRequest(cancelled);
      if (stop.isPresent()) {
        return outcome(stop.get().reason(), stop.get().errorType());
      }
    }
    return e;
  }

  /**
   * An agent's failure or stop as the activity's: not retried, and benign, an outcome Baton records
   * and reports itself ({@code execution finished ... error=TYPE}), which the SDK then logs at
   * DEBUG rather than as a WARN with a stack trace, and leaves out of its failure metrics.
   */
  private static ApplicationFailure outcome(String message, String type) {
    return ApplicationFailure.newBuilder()
        .setMessage(message)
        .setType(type)
        .setNonRetryable(true)
        .setCategory(ApplicationErrorCategory.BENIGN)
        .build();
  }
}
