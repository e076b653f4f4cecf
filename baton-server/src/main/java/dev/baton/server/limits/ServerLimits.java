package dev.baton.server.limits;

/**
 * Limits the server puts on callers and agents, beyond what one request may carry (see {@link
 * dev.baton.execution.ExecutionLimits}).
 *
 * <p>Callers are told apart by their API key's name with {@code --auth api-key}, else by their IP
 * address (with the default loopback-only {@code --auth none} that is one bucket for the machine).
 *
 * @param ratePerSecond requests per second each caller may make, refilled continuously; 0 (the
 *     default) turns rate limiting off. Health checks and reflection are never limited
 * @param rateBurst requests a caller may make at once after being idle; at least 1 when rate
 *     limiting is on (default: twice the rate, at least 1)
 * @param maxWatchStreams Watch streams each caller may hold open at once (default 16); 0 for no
 *     limit
 * @param maxConcurrentPerAgent executions of one agent that may run at once unless its definition
 *     sets {@code maxConcurrent}; 0 (the default) for no limit. Executions beyond it stay PENDING
 *     until a slot frees and then start in creation order
 */
public record ServerLimits(
    double ratePerSecond, int rateBurst, int maxWatchStreams, int maxConcurrentPerAgent) {
  public static final int DEFAULT_MAX_WATCH_STREAMS = 16;

  public ServerLimits {
    if (ratePerSecond < 0 || Double.isNaN(ratePerSecond) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "--rate-limit must be a number of requests per second, 0 or more (0 turns it off), got "
              + ratePerSecond);
    }
    if (rateBurst < 0) {
      throw new IllegalArgumentException(
          "--rate-burst must be 0 or more (0 means twice the rate), got " + rateBurst);
    }
    if (maxWatchStreams < 0) {
      throw new IllegalArgumentException(
          "--max-watch-streams must be 0 (no limit) or more, got " + maxWatchStreams);
    }
    if (maxConcurrentPerAgent < 0) {
      throw new IllegalArgumentException(
          "--max-concurrent-per-agent must be 0 (no limit) or more, got " + maxConcurrentPerAgent);
    }
    if (ratePerSecond > 0 && rateBurst == 0) {
      rateBurst = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(ratePerSecond * 2)));
    }
  }

  /** No rate limit, {@value #DEFAULT_MAX_WATCH_STREAMS} Watch streams per caller, no agent cap. */
  public static ServerLimits defaults() {
    return new ServerLimits(0, 0, DEFAULT_MAX_WATCH_STREAMS, 0);
  }

  public boolean rateLimited() {
    return ratePerSecond > 0;
  }

  public ServerLimits withRate(double perSecond, int burst) {
    return new ServerLimits(perSecond, burst, maxWatchStreams, maxConcurrentPerAgent);
  }

  public ServerLimits withMaxWatchStreams(int value) {
    return new ServerLimits(ratePerSecond, rateBurst, value, maxConcurrentPerAgent);
  }

  public ServerLimits withMaxConcurrentPerAgent(int value) {
    return new ServerLimits(ratePerSecond, rateBurst, maxWatchStreams, value);
  }
}
