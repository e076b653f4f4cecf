package dev.baton.execution;

import java.time.Duration;

/**
 * Tuning of the execution workflow, fixed per worker.
 *
 * @param agentHeartbeatTimeout the agent-runner activity's heartbeat timeout: a runner silent for
 *     this long is presumed dead and retried (default 15 s: generous enough that a machine starved
 *     for a few seconds does not fail healthy agents; built-in runners still heartbeat every 2 s,
 *     so a cancellation reaches them within about 2 s, see {@code ServerWiring})
 * @param agentDeadlineGrace added to the agent's timeout for Temporal's schedule-to-close, so the
 *     runner's own deadline (which stops the agent cleanly) normally fires first
 * @param agentMaxAttempts attempts of a runner that crashed or went silent (not of agent errors)
 * @param deliveryRpcDeadline the deadline of one completion RPC
 * @param deliveryRetryWindow how long a transient delivery error is retried
 */
public record ExecutionWorkflowOptions(
    Duration agentHeartbeatTimeout,
    Duration agentDeadlineGrace,
    int agentMaxAttempts,
    Duration deliveryRpcDeadline,
    Duration deliveryRetryWindow) {

  public static ExecutionWorkflowOptions defaults() {
    return new ExecutionWorkflowOptions(
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        3,
        Duration.ofSeconds(10),
        Duration.ofHours(24));
  }
}
