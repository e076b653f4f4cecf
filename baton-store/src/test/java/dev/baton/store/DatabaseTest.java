package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
