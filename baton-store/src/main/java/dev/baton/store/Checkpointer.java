package dev.baton.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file on a thread and connection of its own, so
 * that no commit waits for it.
 *
 * <p>By default SQLite checkpoints in the commit that takes the log past 1,000 pages: that commit
 * copies the log's pages into the database file and syncs both files (with {@code
 * synchronous=NORMAL} the checkpoint is the only place that syncs), and every transaction queued
 * behind this process's one writer ({@link GroupCommit}) waits for the disk. The writer's
 * connection has automatic checkpoints off; this runs a PASSIVE checkpoint every {@link #EVERY},
 * which goes on beside the writer and the readers and waits for neither. One with nothing to copy
 * costs a read of the log's index.
 */
final class Checkpointer implements AutoCloseable {
  /** How often the log is copied: at a few thousand writes a second, some megabytes of log. */
  static final Duration EVERY = Duration.ofMillis(200);

  /** A checkpoint this long is logged: the disk is slow, and the log grows while it lasts. */
  static final Duration SLOW = Duration.ofSeconds(1);

  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final Connection connection;
  private final ScheduledExecutorService thread;
  private boolean failing;

  private Checkpointer(Connection connection) {
    this.connection = connection;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, "baton-sqlite-checkpoint");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts checkpointing through a connection of its own from {@code sqlite}. */
  static Checkpointer start(DataSource sqlite) {
    Connection connection;
    try {
      connection = sqlite.getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the SQLite checkpoint connection", e);
    }
    Checkpointer checkpointer = new Checkpointer(connection);
    checkpointer.thread.scheduleWithFixedDelay(
        checkpointer::checkpoint, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return checkpointer;
  }

  /** One PASSIVE checkpoint; a failure is logged once until one succeeds again. */
  void checkpoint() {
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      result.next();
      long took = System.nanoTime() - start;
      if (took >= SLOW.toNanos()) {
        log.warn(
            "SQLite checkpoint took {} ms (the write-ahead log had {} pages, {} copied into the"
                + " database file); writes went on beside it, but the disk is slow",
            took / 1_000_000,
            result.getLong(2),
            result.getLong(3));
      }
      if (failing) {
        log.info("SQLite checkpoints succeed again");
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        log.warn(
            "SQLite checkpoint failed, the write-ahead log grows until one succeeds: {}",
            e.toString());
        failing = true;
      }
    }
  }

  /** Stops checkpointing; closing the database's last connection checkpoints what is left. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the SQLite checkpoint did not end within 10 s of closing the database");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("cannot close the SQLite checkpoint connection: {}", e.toString());
    }
  }
}
