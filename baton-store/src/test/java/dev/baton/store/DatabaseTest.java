package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

final class DatabaseTest {
  @TempDir Path directory;

  @Test
  void rejectsAnUnsupportedUrlAndSaysWhatIsExpected() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/baton?password=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected jdbc:sqlite:<file> or jdbc:postgresql://")
        .hasMessageNotContaining("secret");
  }

  @Test
  void rejectsAnInMemorySqliteDatabase() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected jdbc:sqlite:<file>");
  }

  @Test
  void createsTheDirectoryOfASqliteFile() {
    Path file = directory.resolve("nested/deeper/baton.db");

    try (Database database = Database.open("jdbc:sqlite:" + file)) {
      assertThat(database.dialect()).isEqualTo(Dialect.SQLITE);
    }

    assertThat(Files.isRegularFile(file)).isTrue();
  }

  @Test
  void aNewSqliteDatabaseAndItsLogAreReadableByTheirOwnerOnly() throws Exception {
    Path file = directory.resolve("baton.db");

    try (Database database = Database.open("jdbc:sqlite:" + file)) {
      database.inTransaction(handle -> handle.execute("CREATE TABLE t (x INTEGER)"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      Path log = directory.resolve("baton.db-wal");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void anUnreachablePostgresqlIsOneClearErrorWithoutThePassword() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }

    assertThatThrownBy(
            () ->
                Database.open(
                    "jdbc:postgresql://127.0.0.1:" + closed + "/baton?user=u&password=hunter2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "cannot open the database jdbc:postgresql://127.0.0.1:" + closed + "/baton?...: ")
        .hasMessageContaining("refused")
        .hasMessageEndingWith("(check --database-url)")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void configuresSqliteForConcurrentUse() {
    try (Database database = Database.open("jdbc:sqlite:" + directory.resolve("baton.db"))) {
      assertThat(pragma(database, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(database, "foreign_keys")).isEqualTo("1");
      assertThat(Integer.parseInt(pragma(database, "busy_timeout"))).isGreaterThanOrEqualTo(5000);
    }
  }

  @Test
  void sqliteConnectionsSkipTheGeneratedKeyQueryAfterEachInsert() throws SQLException {
    try (Database database = Database.open("jdbc:sqlite:" + directory.resolve("baton.db"))) {
      assertThat(database.jdbi().withHandle(DatabaseTest::fetchesGeneratedKeys)).isFalse();
      assertThat(database.inTransaction(DatabaseTest::fetchesGeneratedKeys)).isFalse();
    }
  }

  @Test
  void theWritersCommitsLeaveCheckpointsToTheirOwnThread() {
    try (Database database = Database.open("jdbc:sqlite:" + directory.resolve("baton.db"))) {
      int writer =
          database.inTransaction(
              handle -> handle.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());

      assertThat(writer).isZero();
    }
  }

  @Test
  void theWriteAheadLogReachesTheDatabaseFileWhileTheDatabaseIsOpen() throws Exception {
    Path file = directory.resolve("baton.db");
    try (Database database = Database.open("jdbc:sqlite:" + file)) {
      database.inTransaction(handle -> handle.execute("CREATE TABLE blobs (b BLOB)"));
      long before = Files.size(file);
      // About 2.4 MB: less than the 1,000 pages (4 MB) at which SQLite would checkpoint itself.
      for (int i = 0; i < 6; i++) {
        database.inTransaction(
            handle ->
                handle.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)"
                        + " INSERT INTO blobs SELECT randomblob(4000) FROM n"));
      }

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(Files.size(file)).isGreaterThan(before + 2_000_000));
    }
  }

  private static boolean fetchesGeneratedKeys(Handle handle) throws SQLException {
    return handle
        .getConnection()
        .unwrap(SQLiteConnection.class)
        .getConnectionConfig()
        .isGetGeneratedKeys();
  }

  private static String pragma(Database database, String name) {
    return database
        .jdbi()
        .withHandle(handle -> handle.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }
}
