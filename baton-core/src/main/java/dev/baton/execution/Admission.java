package dev.baton.execution;

import dev.baton.agent.AgentInvocation;
import java.time.Duration;

/**
 * The answer of {@link ExecutionActivities#admit}: run the agent, stop (the execution has ended),
 * or wait and ask again.
 *
 * @param invocation what to run when admitted, else {@code null}
 * @param queued whether the execution waits for a slot of its agent
 * @param retryAfter when queued, how long to wait at most before asking again (a freed slot wakes
 *     the workflow sooner)
 * @param next when queued, the state to pass to the next check
 * @param settled when the execution had ended and its callback was settled (delivered, gone,
 *     failed, or none to deliver), that final state: the workflow has nothing left to do. Null
 *     otherwise, and in the results of admission steps recorded before this field existed, which
 *     therefore replay along the delivery step as they ran.
 * @param eagerRunAwaited when admitted, whether admission already waited for this server's eager
 *     run of the execution (which had not ended), so that the workflow need not wait again; false
 *     in results recorded before this field existed, which replay along the workflow's own wait.
 */
public record Admission(
    AgentInvocation invocation,
    boolean queued,
    Duration retryAfter,
    QueueState next,
    CallbackState settled,
    boolean eagerRunAwaited) {

  public static Admission admitted(AgentInvocation invocation) {
    return new Admission(invocation, false, null, null, null, false);
  }

  /** Admitted, after waiting for this server's eager run of the execution, which still runs. */
  public static Admission admittedAfterEagerRunWait(AgentInvocation invocation) {
    return new Admission(invocation, false, null, null, null, true);
  }

  /** The execution has ended (before or while waiting); only its callback remains. */
  public static Admission ended() {
    return new Admission(null, false, null, null, null, false);
  }

  /**
   * The execution has ended: {@link #settled} when its callback is in a final state, else {@link
   * #ended}.
   */
  public static Admission ended(CallbackState callback) {
    return callback.isFinal() ? new Admission(null, false, null, null, callback, false) : ended();
  }

  public static Admission queued(Duration retryAfter, QueueState next) {
    return new Admission(null, true, retryAfter, next, null, false);
  }
}
