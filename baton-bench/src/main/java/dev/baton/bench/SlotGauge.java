package dev.baton.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Counts activity executions in progress on a worker and remembers the highest count. */
public final class SlotGauge {
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final AtomicLong finished = new AtomicLong();

  public <T> T track(Supplier<T> work) {
    max.accumulateAndGet(current.incrementAndGet(), Math::max);
    try {
      return work.get();
    } finally {
      current.decrementAndGet();
      finished.incrementAndGet();
    }
  }

  /** How many tracked executions have returned (for async completion: handed off). */
  public long finished() {
    return finished.get();
  }

  public int max() {
    return max.get();
  }

  public void reset() {
    max.set(current.get());
  }
}
