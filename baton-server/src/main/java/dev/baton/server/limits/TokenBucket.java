package dev.baton.server.limits;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code ratePerSecond}; each request
 * takes one. Thread-safe. Time comes in as nanoseconds from any monotonic source.
 */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  TokenBucket(double ratePerSecond, int burst, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /**
   * Takes a token if there is one.
   *
   * @return 0 when a token was taken, else how many nanoseconds until one is available
   */
  synchronized long tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano));
  }

  /** Whether the bucket is full, so forgetting it changes nothing. */
  synchronized boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
  }
}
