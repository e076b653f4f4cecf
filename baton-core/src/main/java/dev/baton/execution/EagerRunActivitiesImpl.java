package dev.baton.execution;

import java.time.Duration;

/** See {@link EagerRunActivities}; answers null on a server without eager start. */
public final class EagerRunActivitiesImpl implements EagerRunActivities {
  /**
   * How long the step waits: long enough for an agent that answers at once (its run records and
   * delivers within tens of milliseconds), short enough that a long agent's workflow task does not
   * hold a local-activity slot for long (1,000 long agents at once with a 1-s wait: see
   * docs/performance.md).
   */
  static final Duration WAIT = Duration.ofMillis(250);

  /**
   * How long the step waits in all for a run whose agent has ended to record the end and deliver
   * it: under load that takes longer than an instant agent, and an agent activity would only find
   * the end recorded. Within the step's 10-s timeout.
   */
  static final Duration RECORDING_WAIT = Duration.ofSeconds(5);

  private final EagerStart eager;

  public EagerRunActivitiesImpl(EagerStart eager) {
    this.eager = eager;
  }

  @Override
  public CallbackState awaitEagerRun(String executionId) {
    return eager.awaitEnd(executionId, WAIT, RECORDING_WAIT).orElse(null);
  }
}
