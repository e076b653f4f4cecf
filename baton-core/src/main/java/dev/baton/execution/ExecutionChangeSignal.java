package dev.baton.execution;

import java.time.Duration;

/**
 * Wakes watchers in this process when an execution changes. Watchers also poll, so changes made by
 * other servers sharing the database are seen too, a little later.
 */
public final class ExecutionChangeSignal {
  private final Object monitor = new Object();
  private long generation;

  public void changed() {
    synchronized (monitor) {
      generation++;
      monitor.notifyAll();
    }
  }

  public long generation() {
    synchronized (monitor) {
      return generation;
    }
  }

  /** Waits until a change after {@code seen} is signalled, or {@code timeout} passes. */
  public void awaitAfter(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (generation == seen) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        monitor.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
