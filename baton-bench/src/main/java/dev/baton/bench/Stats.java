package dev.baton.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles of a set of millisecond samples. */
public record Stats(int count, long p50, long p90, long p99, long max) {

  public static Stats of(List<Long> samples) {
    if (samples.isEmpty()) {
      return new Stats(0, 0, 0, 0, 0);
    }
    long[] sorted = samples.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Stats(
        sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
