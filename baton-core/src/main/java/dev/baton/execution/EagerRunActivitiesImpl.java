package dev.baton.execution;

import java.time.Duration;

/** See {@link EagerRunActivities}; answers null on a server without eager start. */
public final class EagerRunActivitiesImpl implements EagerRunActivities {
  /**
   * How long the step waits: long enough for an agent that answers at once (its run records and
   * delivers within tens of milliseconds), short enough not to hold the workflow task.
   */
  static final Duration WAIT = Duration.ofSeconds(1);

  private final EagerStart eager;

  public EagerRunActivitiesImpl(EagerStart eager) {
    this.eager = eager;
  }

  @Override
  public CallbackState awaitEagerRun(String executionId) {
    return eager.awaitEnd(executionId, WAIT).orElse(null);
  }
}
