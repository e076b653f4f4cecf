package dev.baton.caller;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Recommended {@link ActivityOptions} for {@link AgentCallActivities}.
 *
 * <ul>
 *   <li>start-to-close: twice the expected agent duration, at least one minute more than it, so the
 *       caller never gives up before a normally slow agent (the reference implementation's caller
 *       timed out before its agent);
 *   <li>retries: up to 5 attempts, 1 s doubling to 1 min, for Baton being unreachable; never for
 *       {@code AgentExecutionFailed} (the agent's own failure) or {@code BatonRequestRejected}.
 *       Retried attempts reuse the same execution: the agent does not run twice.
 * </ul>
 *
 * <p>Pass an agent timeout (in {@link AgentCall#withTimeout}) no longer than the expected duration
 * so that Baton, not Temporal, ends an overrunning agent and reports why.
 */
public final class AgentCallOptions {
  private AgentCallOptions() {}

  public static ActivityOptions forExpectedDuration(Duration expected) {
    Duration startToClose = max(expected.multipliedBy(2), expected.plusMinutes(1));
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(startToClose)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofMinutes(1))
                .setMaximumAttempts(5)
                .setDoNotRetry(
                    dev.baton.callback.AgentExecutionFailure.TYPE,
                    AgentCallActivitiesImpl.REQUEST_REJECTED)
                .build())
        .build();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
