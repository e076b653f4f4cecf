package dev.baton.execution;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon threads of this package's background work, and how they stop. */
final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads named {@code name}. */
  static ThreadFactory named(String name) {
    return runnable -> daemon(runnable, name);
  }

  /** Daemon threads named {@code prefix} and a count from 1. */
  static ThreadFactory numbered(String prefix) {
    AtomicInteger threads = new AtomicInteger();
    return runnable -> daemon(runnable, prefix + threads.incrementAndGet());
  }

  /** Lets running tasks finish for up to {@code patience}, then interrupts them. */
  static void stop(ExecutorService executor, Duration patience) {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
