package dev.baton.execution;

import io.temporal.activity.ActivityInterface;

/**
 * The execution workflow's local step that takes the end of an eager run ({@link EagerRuns}) on the
 * server running the workflow task, so that a run that ends quickly needs no agent activity.
 */
@ActivityInterface(namePrefix = "Baton")
public interface EagerRunActivities {

  /**
   * Waits up to {@link EagerRunActivitiesImpl#WAIT} for this server's eager run of the execution.
   *
   * @return the final callback state the run left, having recorded the end and delivered it; null
   *     when this server has no such run, it still runs, or its end is not both recorded and
   *     delivered (the agent activity then takes over)
   */
  CallbackState awaitEagerRun(String executionId);
}
