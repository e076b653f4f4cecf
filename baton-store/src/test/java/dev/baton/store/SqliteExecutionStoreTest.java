package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackToken;
import dev.baton.execution.NewExecution;
import dev.baton.store.internal.ExecutionTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a SQLite file. */
final class SqliteExecutionStoreTest extends ExecutionStoreContract {
  @TempDir Path directory;

  @Override
  String freshDatabaseUrl() {
    return "jdbc:sqlite:" + directory.resolve("baton.db");
  }

  @Test
  void theDatabaseFilesHoldNoTokenBytes() throws IOException {
    List<CallbackToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      NewExecution request = executions().withCaller("researcher");
      String id = store().create(request).execution().id();
      CallbackToken retried = TestExecutions.token("rebound-token-of-" + id);
      store().rebindCallback(id, retried, TestExecutions.caller(id, 2));
      tokens.add(request.callbackToken());
      tokens.add(retried);
      assertThat(store().callbackToken(id)).contains(retried);
    }

    String files = databaseFiles();
    reopen();
    String afterReopen = databaseFiles();

    assertThat(files).contains("researcher"); // the scan sees the rows
    for (CallbackToken token : tokens) {
      String bytes = new String(token.bytes(), StandardCharsets.ISO_8859_1);
      assertThat(files).doesNotContain(bytes);
      assertThat(afterReopen).doesNotContain(bytes);
    }
  }

  @Test
  void aSlotClaimSearchesOnlyTheAgentsRunningAndQueuedExecutions() {
    List<String> plan =
        database()
            .jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery("EXPLAIN QUERY PLAN " + ExecutionTable.COUNT_AHEAD)
                        .bind("agent", "coder")
                        .bind("id", "01J0000000000000000000000")
                        .map((rs, ctx) -> rs.getString("detail"))
                        .list());

    // Not "(agent=?)" alone: that reads every execution the agent ever had.
    assertThat(plan)
        .filteredOn(step -> step.contains("executions"))
        .hasSize(2)
        .allSatisfy(step -> assertThat(step).startsWith("SEARCH").contains("agent=? AND phase=?"));
  }

  /** Every file of the database (main file, WAL, shared memory) as Latin-1, byte for char. */
  private String databaseFiles() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return all.toString();
  }
}
