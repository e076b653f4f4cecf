package dev.baton.server.http;

import dev.baton.agent.Durations;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A readiness check that answers within a bound: a store or Temporal that hangs (a database that
 * went away waits for the pool's connection timeout) makes {@code /readyz} say so in time for a
 * probe's timeout, instead of the probe timing out. One check runs at a time; probes that come
 * while it runs wait for the same one.
 */
public final class BoundedReadiness implements OpsHttpServer.Readiness {
  private final OpsHttpServer.Readiness check;
  private final Duration bound;
  private final Executor executor;
  private CompletableFuture<String> running;

  /**
   * @param executor runs the checks; a check that hangs holds one of its threads until it ends
   */
  public BoundedReadiness(OpsHttpServer.Readiness check, Duration bound, Executor executor) {
    this.check = check;
    this.bound = bound;
    this.executor = executor;
  }

  /** Checks on a thread of its own, which ends when idle for a few seconds. */
  public static BoundedReadiness of(OpsHttpServer.Readiness check, Duration bound) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "baton-readiness");
              thread.setDaemon(true);
              return thread;
            });
    return new BoundedReadiness(check, bound, executor);
  }

  @Override
  public String problem() {
    CompletableFuture<String> result = current();
    try {
      return result.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "the store or Temporal did not answer within " + Durations.format(bound);
    } catch (ExecutionException e) {
      return "readiness check failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private synchronized CompletableFuture<String> current() {
    if (running == null || running.isDone()) {
      running = CompletableFuture.supplyAsync(check::problem, executor);
    }
    return running;
  }
}
