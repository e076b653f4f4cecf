package dev.baton.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.baton.store.internal.CachedStatements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A migrated, pooled connection to Baton's database: a SQLite file or a PostgreSQL server.
 *
 * <p>{@link #open} creates a SQLite file's directory, runs the Flyway migrations of the dialect (a
 * no-op when the schema is current; PostgreSQL serialises concurrent migrators with a lock) and
 * leaves the pool open until {@link #close}.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  /**
   * Connections for reads outside a transaction: SQLite allows one writer at a time, which has a
   * connection of its own, and under WAL a few readers run beside it.
   */
  private static final int SQLITE_POOL_SIZE = 4;

  private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;

  /** The write-ahead log's size once it starts over after a checkpoint (64 MiB). */
  private static final long SQLITE_LOG_LIMIT_BYTES = 64L << 20;

  private static final int POSTGRESQL_POOL_SIZE = 10;
  private static final Duration POSTGRESQL_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private final Dialect dialect;
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;

  /**
   * SQLite only (null for PostgreSQL): the one connection this process writes through, so that its
   * page cache stays valid from one transaction to the next. A connection that did not make the
   * last write must drop its cache and read every page it touches again.
   */
  private final HikariDataSource sqliteWriter;

  /** Queues and batches this process's SQLite transactions; null for PostgreSQL. */
  private final GroupCommit sqliteWrites;

  /** Copies the write-ahead log into the SQLite file, beside the writer; null for PostgreSQL. */
  private final Checkpointer sqliteCheckpoints;

  private Database(
      Dialect dialect,
      HikariDataSource dataSource,
      HikariDataSource sqliteWriter,
      Checkpointer sqliteCheckpoints) {
    this.dialect = dialect;
    this.dataSource = dataSource;
    this.sqliteWriter = sqliteWriter;
    this.sqliteCheckpoints = sqliteCheckpoints;
    this.jdbi = dialect == Dialect.SQLITE ? sqliteJdbi(dataSource) : Jdbi.create(dataSource);
    this.sqliteWrites = sqliteWriter == null ? null : new GroupCommit(sqliteJdbi(sqliteWriter));
  }

  /**
   * A Jdbi on a SQLite pool that keeps each connection's statements prepared ({@link
   * CachedStatements}).
   */
  private static Jdbi sqliteJdbi(HikariDataSource source) {
    Jdbi sqlite = Jdbi.create(source);
    sqlite.setStatementBuilderFactory(new CachedStatements());
    return sqlite;
  }

  /**
   * Opens and migrates the database at {@code jdbcUrl}.
   *
   * @param jdbcUrl {@code jdbc:sqlite:<file>} or {@code
   *     jdbc:postgresql://host:port/database?user=..&password=..}
   * @throws IllegalArgumentException for any other URL, or for an in-memory SQLite database
   */
  public static Database open(String jdbcUrl) {
    Dialect dialect = Dialect.of(jdbcUrl);
    HikariDataSource dataSource;
    try {
      dataSource =
          dialect == Dialect.SQLITE
              ? pooled(sqlite(jdbcUrl, false), "baton-sqlite", SQLITE_POOL_SIZE)
              : postgresqlDataSource(jdbcUrl);
    } catch (HikariPool.PoolInitializationException e) {
      throw cannotOpen(jdbcUrl, e);
    }
    HikariDataSource sqliteWriter = null;
    Checkpointer checkpoints = null;
    try {
      migrate(dialect, dataSource);
      if (dialect == Dialect.SQLITE) {
        sqliteWriter = pooled(sqlite(jdbcUrl, true), "baton-sqlite-writer", 1);
        checkpoints = Checkpointer.start(sqlite(jdbcUrl, false));
      }
    } catch (RuntimeException e) {
      if (sqliteWriter != null) {
        sqliteWriter.close();
      }
      dataSource.close();
      if (e instanceof HikariPool.PoolInitializationException || e instanceof FlywayException) {
        throw cannotOpen(jdbcUrl, e);
      }
      throw e;
    }
    log.info("Opened {} database {}", dialect, Dialect.redact(jdbcUrl));
    return new Database(dialect, dataSource, sqliteWriter, checkpoints);
  }

  public Dialect dialect() {
    return dialect;
  }

  /** For reads; run changes through {@link #inTransaction}. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Runs {@code callback} in a transaction, committed when it returns and rolled back when it
   * throws.
   *
   * <p>SQLite allows one writer at a time and its busy handler polls with sleeps of up to 100 ms,
   * so this process's transactions queue in {@link GroupCommit} instead, which commits those that
   * wait together as one; {@code busy_timeout} still arbitrates between processes. A callback must
   * not open a transaction of its own: it would wait for the one it runs in.
   */
  public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    return sqliteWrites == null
        ? jdbi.inTransaction(callback)
        : sqliteWrites.inTransaction(callback);
  }

  @Override
  public void close() {
    if (sqliteCheckpoints != null) {
      sqliteCheckpoints.close();
    }
    if (sqliteWriter != null) {
      sqliteWriter.close();
    }
    dataSource.close();
  }

  /**
   * Connections to the SQLite file at {@code jdbcUrl}; {@code writer} for the one that writes
   * ({@link GroupCommit}), which leaves checkpoints to {@link Checkpointer}.
   */
  private static SQLiteDataSource sqlite(String jdbcUrl, boolean writer) {
    Path file = sqliteFile(jdbcUrl);
    createParentDirectory(file);
    createPrivately(file);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    // WAL with synchronous=NORMAL (SQLite's recommendation for WAL): a commit survives a crash or
    // kill of this process but skips the fsync that FULL does per commit, which on an ordinary
    // disk (5-10 ms) capped all writes at ~100/s and made Create time out under load. Only an OS
    // crash or power loss can roll back the last commits; the database stays consistent.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    // Writers take the write lock when their transaction begins, so two read-then-write
    // transactions cannot deadlock on the lock upgrade; busy_timeout then queues them.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // The driver otherwise follows every INSERT with a "SELECT last_insert_rowid()" it compiles
    // anew, for generated keys that Baton never asks for (its keys are its own ids): 7 % of the
    // store's CPU in a burst (docs/performance.md, sixteenth round).
    config.setGetGeneratedKeys(false);
    if (writer) {
      // No checkpoint in a commit: it would sync both files while every queued write waits.
      config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, "0");
      // A log that grew in a burst is cut back to this when it starts over.
      config.setPragma(
          SQLiteConfig.Pragma.JOURNAL_SIZE_LIMIT, Long.toString(SQLITE_LOG_LIMIT_BYTES));
    }
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl(jdbcUrl);
    return sqlite;
  }

  /**
   * Why the database could not be opened (unreachable, refused the credentials, a schema this
   * version cannot migrate), in one line naming the URL without its password: the driver's own
   * words, not the pool's wrapper.
   */
  private static IllegalStateException cannotOpen(String jdbcUrl, RuntimeException e) {
    Throwable reason = e;
    while (reason.getCause() != null
        && reason.getCause() != reason
        && !(reason instanceof SQLException)) {
      reason = reason.getCause();
    }
    return new IllegalStateException(
        "cannot open the database "
            + Dialect.redact(jdbcUrl)
            + ": "
            + (reason.getMessage() == null ? reason.toString() : reason.getMessage())
            + " (check --database-url)",
        e);
  }

  private static HikariDataSource pooled(SQLiteDataSource sqlite, String poolName, int size) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(poolName);
    hikari.setDataSource(sqlite);
    hikari.setMaximumPoolSize(size);
    return new HikariDataSource(hikari);
  }

  private static HikariDataSource postgresqlDataSource(String jdbcUrl) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("baton-postgresql");
    hikari.setJdbcUrl(jdbcUrl);
    // A request waits at most this long for a connection when the database is down or every
    // connection is busy, then fails UNAVAILABLE: within a client's deadline (the CLI's is 10 s),
    // so that the client hears why rather than a timeout of its own.
    hikari.setConnectionTimeout(POSTGRESQL_CONNECTION_TIMEOUT.toMillis());
    hikari.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
    return new HikariDataSource(hikari);
  }

  /** The file of a {@code jdbc:sqlite:<file>[?options]} URL. */
  static Path sqliteFile(String jdbcUrl) {
    String rest = jdbcUrl.substring(Dialect.SQLITE.urlPrefix().length());
    int query = rest.indexOf('?');
    String file = query < 0 ? rest : rest.substring(0, query);
    if (file.isBlank() || file.contains(":memory:") || jdbcUrl.contains("mode=memory")) {
      throw new IllegalArgumentException(
          "unsupported SQLite URL '"
              + Dialect.redact(jdbcUrl)
              + "': expected jdbc:sqlite:<file>; in-memory databases are not supported because"
              + " every pooled connection would see its own empty database");
    }
    return Path.of(file.startsWith("file:") ? file.substring("file:".length()) : file);
  }

  /**
   * Creates a new database file readable by its owner only: it holds messages, outputs and
   * (encrypted) callback tokens. SQLite gives its -wal and -shm files the database file's mode. An
   * existing file keeps the mode it has.
   */
  private static void createPrivately(Path file) {
    if (Files.exists(file)
        || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException raced) {
      // Another connection of this pool created it first.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the SQLite database " + file, e);
    }
  }

  private static void createParentDirectory(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the directory " + parent + " for the SQLite database " + file, e);
    }
  }

  private static void migrate(Dialect dialect, HikariDataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations(dialect.migrationLocation())
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}
