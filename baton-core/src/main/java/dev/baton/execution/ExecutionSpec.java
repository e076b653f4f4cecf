package dev.baton.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * What to run and who waits for it. The callback token is deliberately not part of this record (see
 * {@link NewExecution}): a spec can be logged, stored as JSON and returned by reads.
 *
 * @param caller the waiting Temporal activity, or {@code null} when nobody waits
 * @param timeout the agent's deadline
 * @param callerHeartbeatTimeout the caller activity's heartbeat timeout, or {@code null}
 * @param onCallerGone what to do with the agent once its caller is gone
 */
public record ExecutionSpec(
    String agent,
    String message,
    CallerIdentity caller,
    Duration timeout,
    Duration callerHeartbeatTimeout,
    OnCallerGone onCallerGone) {

  public ExecutionSpec {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onCallerGone, "onCallerGone");
  }
}
