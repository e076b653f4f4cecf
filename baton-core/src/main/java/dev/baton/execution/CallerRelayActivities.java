package dev.baton.execution;

import dev.baton.agent.RunMonitor.StopRequest;
import io.temporal.activity.ActivityInterface;

/**
 * Heartbeats the caller of an external agent's run (docs/guides/external-runners.md) while the run
 * goes on in another worker: keeps a caller with a heartbeat timeout alive, and learns that it
 * cancelled or went away, as the relay of a built-in runner does inside its run.
 *
 * <p>The activity completes asynchronously: it holds no worker slot or thread while it relays.
 */
@ActivityInterface(namePrefix = "Baton")
public interface CallerRelayActivities {

  /**
   * Relays for the execution until its caller asks the agent to stop, or there is nothing left to
   * relay (no pending callback, or the caller is gone and its agent may go on); the workflow
   * cancels it once the agent's run has ended.
   *
   * @return why the agent should stop, or null when it should go on
   */
  StopRequest relayCaller(String executionId);
}
