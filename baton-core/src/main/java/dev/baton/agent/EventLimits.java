package dev.baton.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the progress events one run may store, so that a chatty agent cannot flood the store.
 *
 * @param flushInterval how often buffered events are written at most (250 ms); also the window of
 *     {@code maxPerInterval}
 * @param maxPerInterval events kept per flush interval (50, i.e. 200 per second); more are dropped
 *     and counted
 * @param maxPerRun events kept per run (5,000); more are dropped and counted
 * @param maxTextChars a longer event text is cut (1,000 characters; message chunks may merge up to
 *     four times that)
 * @param maxDataChars longer JSON details are left out (8,192 characters)
 */
public record EventLimits(
    Duration flushInterval, int maxPerInterval, int maxPerRun, int maxTextChars, int maxDataChars) {

  public static final EventLimits DEFAULT =
      new EventLimits(Duration.ofMillis(250), 50, 5_000, 1_000, 8_192);

  public EventLimits {
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isNegative()
        || maxPerInterval < 1
        || maxPerRun < 1
        || maxTextChars < 1
        || maxDataChars < 0) {
      throw new IllegalArgumentException("event limits must be positive");
    }
  }
}
