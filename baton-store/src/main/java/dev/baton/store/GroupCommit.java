package dev.baton.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this process's SQLite transactions through one connection, committing the transactions that
 * wait together as one (group commit).
 *
 * <p>SQLite allows one writer at a time, so concurrent transactions queue anyway. Whichever thread
 * finds the writer free runs everything queued so far, up to {@link #MAX_BATCH}, each in a
 * savepoint of one SQLite transaction, and commits once; the others wait for their outcome.
 * Consecutive transactions touch the same pages (the newest rows, the same index leaves), so a
 * batch writes each of those pages to the write-ahead log once instead of once per transaction. A
 * transaction alone runs at once, as a transaction of its own.
 *
 * <p>What a caller may rely on, as with a transaction of its own: {@link #inTransaction} returns
 * only after its changes are committed; when its callback throws, its changes are rolled back and
 * the exception is thrown to it, and the others in the batch are unaffected; when the commit fails,
 * nothing of the batch is written and every caller in it gets the failure. Callbacks run one after
 * another in the order they were queued, each seeing the changes of those before it.
 */
final class GroupCommit {
  /** Bounds a batch's transaction and so the wait of those queued behind it. */
  static final int MAX_BATCH = 64;

  /**
   * A batch that holds the writer this long is logged: every write of this process (a Create, an
   * execution's end, a callback's outcome) waited behind it.
   */
  static final Duration SLOW_BATCH = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  private static final String SAVEPOINT = "baton_batch_item";

  private final Jdbi writer;
  private final ReentrantLock running = new ReentrantLock();
  private final ConcurrentLinkedQueue<Request<?, ?>> queue = new ConcurrentLinkedQueue<>();

  GroupCommit(Jdbi writer) {
    this.writer = writer;
  }

  /**
   * Runs {@code callback} in a transaction, alone or in a batch, and returns its result once
   * committed. Waiting is not interruptible (as for a lock); an interrupt is kept for the caller.
   */
  <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    Request<R, X> request = new Request<>(callback, Thread.currentThread());
    queue.add(request);
    boolean interrupted = false;
    while (!request.done) {
      if (running.tryLock()) {
        try {
          runQueued();
        } finally {
          running.unlock();
          wakeNext();
        }
      } else {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return request.outcome();
  }

  /** Whoever queued while the writer ran waits for a thread to run the queue: wakes the first. */
  private void wakeNext() {
    Request<?, ?> next = queue.peek();
    if (next != null) {
      LockSupport.unpark(next.thread);
    }
  }

  private void runQueued() {
    // Sized up front: nothing allocates between taking a request off the queue and holding it.
    List<Request<?, ?>> batch = new ArrayList<>(MAX_BATCH);
    Request<?, ?> next;
    while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
      batch.add(next);
    }
    if (batch.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    long opened = start;
    long committing = 0;
    try (Handle handle = writer.open()) {
      opened = System.nanoTime();
      committing = batch.size() == 1 ? runAlone(handle, batch.get(0)) : runTogether(handle, batch);
    } catch (Throwable failure) {
      // The connection could not be had, or the commit failed: nothing of the batch was written.
      for (Request<?, ?> r : batch) {
        r.fail(failure);
      }
    } finally {
      logIfSlow(batch.size(), start, opened, committing);
      for (Request<?, ?> r : batch) {
        r.finish();
      }
    }
  }

  /**
   * Logs a batch that held the writer for {@link #SLOW_BATCH} or more, split into getting the
   * connection, running the transactions, and committing (0 when no commit began).
   */
  private static void logIfSlow(int transactions, long start, long opened, long committing) {
    long end = System.nanoTime();
    long took = end - start;
    if (took >= SLOW_BATCH.toNanos()) {
      long commit = committing == 0 ? 0 : end - committing;
      log.warn(
          "SQLite writes stalled: a batch of {} transaction(s) held the writer for {} ms ({} ms"
              + " getting the connection, {} ms running, {} ms committing); this process's writes"
              + " waited behind it",
          transactions,
          took / 1_000_000,
          (opened - start) / 1_000_000,
          (took - (opened - start) - commit) / 1_000_000,
          commit / 1_000_000);
    }
  }

  /**
   * Runs one transaction; a failure of its callback rolls it back and is its outcome.
   *
   * @return when its commit began, 0 when it was rolled back
   * @throws RuntimeException the commit failed: the caller fails the transaction
   */
  private static long runAlone(Handle handle, Request<?, ?> request) {
    handle.begin();
    try {
      request.run(handle);
    } catch (Throwable failure) {
      request.fail(failure);
      rollbackAfter(handle, failure);
      return 0;
    }
    long committing = System.nanoTime();
    try {
      handle.commit();
    } catch (RuntimeException failure) {
      rollbackAfter(handle, failure);
      throw failure;
    }
    return committing;
  }

  /** Rolls back after {@code failure}, to which a failed rollback is added. */
  private static void rollbackAfter(Handle handle, Throwable failure) {
    try {
      handle.rollback();
    } catch (RuntimeException rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
    }
  }

  /**
   * Runs the transactions in savepoints of one transaction and commits it.
   *
   * @return when its commit began
   */
  private static long runTogether(Handle handle, List<Request<?, ?>> batch) {
    handle.begin();
    try {
      for (Request<?, ?> request : batch) {
        handle.execute("SAVEPOINT " + SAVEPOINT);
        try {
          request.run(handle);
        } catch (Throwable failure) {
          request.fail(failure);
          handle.execute("ROLLBACK TO " + SAVEPOINT);
        }
        handle.execute("RELEASE " + SAVEPOINT);
      }
      long committing = System.nanoTime();
      handle.commit();
      return committing;
    } catch (Throwable failure) {
      rollbackAfter(handle, failure);
      throw failure;
    }
  }

  /** One caller's transaction: its callback, its thread, and, once {@link #done}, its outcome. */
  private static final class Request<R, X extends Exception> {
    private final HandleCallback<R, X> callback;
    final Thread thread;
    private R result;
    private Throwable failure;
    volatile boolean done;

    Request(HandleCallback<R, X> callback, Thread thread) {
      this.callback = callback;
      this.thread = thread;
    }

    void run(Handle handle) throws X {
      result = callback.withHandle(handle);
    }

    /** Keeps the first failure: a later commit failure does not hide the callback's own. */
    void fail(Throwable cause) {
      if (failure == null) {
        failure = cause;
      }
      result = null;
    }

    void finish() {
      done = true;
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }

    @SuppressWarnings("unchecked")
    R outcome() throws X {
      if (failure == null) {
        return result;
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw (X) failure;
    }
  }
}
