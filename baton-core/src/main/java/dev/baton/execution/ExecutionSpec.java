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
 * @param previousExecutionId the COMPLETED execution of the same agent this one continues (a
 *     conversation's previous turn), or {@code null} for a first turn
 */
public record ExecutionSpec(
    String agent,
    String message,
    CallerIdentity caller,
    Duration timeout,
    Duration callerHeartbeatTimeout,
    OnCallerGone onCallerGone,
    String previousExecutionId) {

  public ExecutionSpec {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(onCallerGone, "onCallerGone");
  }

  /** The same spec for another attempt of the caller (a rebound token). */
  public ExecutionSpec withCaller(CallerIdentity newCaller) {
    return new ExecutionSpec(
        agent,
        message,
        newCaller,
        timeout,
        callerHeartbeatTimeout,
        onCallerGone,
        previousExecutionId);
  }

  /** A first turn: continues no earlier execution. */
  public ExecutionSpec(
      String agent,
      String message,
      CallerIdentity caller,
      Duration timeout,
      Duration callerHeartbeatTimeout,
      OnCallerGone onCallerGone) {
    this(agent, message, caller, timeout, callerHeartbeatTimeout, onCallerGone, null);
  }
}
