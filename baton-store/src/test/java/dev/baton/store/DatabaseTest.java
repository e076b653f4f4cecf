package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private static String pragma(Database database, String name) {
    return database
        .jdbi()
        .withHandle(handle -> handle.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }
}
