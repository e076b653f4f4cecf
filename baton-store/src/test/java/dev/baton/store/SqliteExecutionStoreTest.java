package dev.baton.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file. */
final class SqliteExecutionStoreTest extends ExecutionStoreContract {
  @TempDir Path directory;

  @Override
  String freshDatabaseUrl() {
    return "jdbc:sqlite:" + directory.resolve("baton.db");
  }
}
