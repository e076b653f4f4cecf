package dev.baton.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionRetention;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.Termination;
import dev.baton.store.Database;
import dev.baton.store.JdbcExecutionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention pass against a real SQLite store: every old settled execution, batch by batch. */
class ExecutionRetentionTest {
  private static final Duration RETENTION = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void onePassDeletesEveryExecutionPastItsRetentionAcrossBatchesAndKeepsTheRest()
      throws InterruptedException {
    try (Database database = Database.open("jdbc:sqlite:" + dir.resolve("baton.db"))) {
      JdbcExecutionStore store = new JdbcExecutionStore(database);
      ExecutionIds ids = new ExecutionIds(Clock.systemUTC());
      List<String> old = new ArrayList<>();
      for (int i = 0; i < 450; i++) {
        old.add(ended(store, ids));
      }
      String running = created(store, ids);
      store.markInProgress(running, Instant.now());
      Thread.sleep(RETENTION.plusMillis(500).toMillis());
      String recent = ended(store, ids);
      AtomicInteger reported = new AtomicInteger();
      ExecutionRetention retention =
          new ExecutionRetention(store, RETENTION, Clock.systemUTC(), reported::addAndGet);

      int deleted = retention.deleteOnce();

      assertThat(deleted).isEqualTo(450);
      assertThat(reported).hasValue(450);
      assertThat(old).allSatisfy(id -> assertThat(store.find(id)).isEmpty());
      assertThat(store.find(running)).isPresent();
      assertThat(store.find(recent)).isPresent();
      assertThat(retention.deleteOnce()).isZero();
      assertThat(reported).hasValue(450);
    }
  }

  @Test
  void passesAsOftenAsTheRetentionIsLongUpToTenMinutes() {
    assertThat(retention(Duration.ofDays(30)).interval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(retention(Duration.ofSeconds(30)).interval()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> retention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retention must be positive");
  }

  private static ExecutionRetention retention(Duration value) {
    return new ExecutionRetention(null, value, Clock.systemUTC(), count -> {});
  }

  private static String created(JdbcExecutionStore store, ExecutionIds ids) {
    String id = ids.next();
    store.create(
        new NewExecution(
            id,
            Instant.now(),
            Map.of(),
            new ExecutionSpec("a", "hi", null, Duration.ofMinutes(1), null, OnCallerGone.CANCEL),
            null,
            null));
    return id;
  }

  private static String ended(JdbcExecutionStore store, ExecutionIds ids) {
    String id = created(store, ids);
    store.markInProgress(id, Instant.now());
    store.finish(id, Termination.completed("done", null, Instant.now()));
    return id;
  }
}
