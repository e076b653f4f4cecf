package dev.baton.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Starts a slow part of the server on its own thread while the caller starts the others, e.g. the
 * Temporal connection (the embedded test server and its first RPCs) beside the database and its
 * migrations: on two cores that is most of a second of start-up saved.
 *
 * <p>Closing it closes the part once started, so a start that fails elsewhere leaves nothing
 * running.
 */
final class BackgroundStart<T extends AutoCloseable> implements AutoCloseable {
  private final CompletableFuture<T> started;

  private BackgroundStart(CompletableFuture<T> started) {
    this.started = started;
  }

  static <T extends AutoCloseable> BackgroundStart<T> begin(String name, Supplier<T> start) {
    CompletableFuture<T> started = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                started.complete(start.get());
              } catch (Throwable e) {
                started.completeExceptionally(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return new BackgroundStart<>(started);
  }

  /** Waits for the part; a failure to start is rethrown as it was thrown. */
  T join() {
    try {
      return started.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    T part;
    try {
      part = started.join();
    } catch (CompletionException notStarted) {
      return;
    }
    try {
      part.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("could not stop " + part, e);
    }
  }
}
