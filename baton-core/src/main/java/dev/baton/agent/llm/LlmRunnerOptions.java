package dev.baton.agent.llm;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link LlmRunner} talks to providers.
 *
 * @param pollInterval how often a waiting run heartbeats and checks its deadline (250 ms)
 * @param maxRetries how many times one model call is retried after HTTP 429, 500, 502, 503, 504 or
 *     529 (3, so at most 4 attempts)
 * @param initialBackoff the wait before the first retry when the provider gives no Retry-After;
 *     doubled for each further retry (1 s)
 * @param maxBackoff the longest wait between retries without Retry-After (30 s)
 * @param maxRetryAfter the longest Retry-After the runner honours; a longer one fails at once (2 m)
 * @param maxToolOutputBytes the most of a tool's stdout passed back to the model (64 KiB)
 * @param clock what deadlines and Retry-After dates are compared with
 */
public record LlmRunnerOptions(
    Duration pollInterval,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    int maxToolOutputBytes,
    Clock clock) {

  public LlmRunnerOptions {
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    Objects.requireNonNull(clock, "clock");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
    }
    if (maxRetries < 0 || maxToolOutputBytes < 1) {
      throw new IllegalArgumentException("maxRetries must be >= 0 and maxToolOutputBytes >= 1");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("backoffs and maxRetryAfter must not be negative");
    }
  }

  /** The defaults documented on each field. */
  public static LlmRunnerOptions defaults() {
    return new LlmRunnerOptions(
        Duration.ofMillis(250),
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofMinutes(2),
        64 * 1024,
        Clock.systemUTC());
  }

  public LlmRunnerOptions withRetries(int maxRetries, Duration initialBackoff) {
    return new LlmRunnerOptions(
        pollInterval,
        maxRetries,
        initialBackoff,
        maxBackoff,
        maxRetryAfter,
        maxToolOutputBytes,
        clock);
  }

  public LlmRunnerOptions withPollInterval(Duration value) {
    return new LlmRunnerOptions(
        value, maxRetries, initialBackoff, maxBackoff, maxRetryAfter, maxToolOutputBytes, clock);
  }

  public LlmRunnerOptions withMaxRetryAfter(Duration value) {
    return new LlmRunnerOptions(
        pollInterval, maxRetries, initialBackoff, maxBackoff, value, maxToolOutputBytes, clock);
  }
}
