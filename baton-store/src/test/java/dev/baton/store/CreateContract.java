package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CreateResult;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionNotFoundException;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.NewExecution;
import dev.baton.execution.Termination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Creating and reading executions. */
interface CreateContract extends StoreFixture {

  @Test
  default void findReturnsEveryFieldOfTheCreatedExecution() {
    NewExecution request = executions().withCaller("researcher");

    CreateResult result = store().create(request);

    assertThat(result.created()).isTrue();
    assertThat(result.execution()).isEqualTo(request.toExecution());
    Execution found = store().find(request.id()).orElseThrow();
    assertThat(found).isEqualTo(request.toExecution());
    assertThat(found.createTime()).isEqualTo(TestExecutions.CREATED);
    assertThat(found.labels()).containsEntry("team", "search").containsEntry("ticket", "BAT-7");
    assertThat(found.sequence()).isEqualTo(1);
    assertThat(found.phase()).isEqualTo(ExecutionPhase.PENDING);
    assertThat(found.spec().timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(found.spec().callerHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(found.spec().caller()).isEqualTo(request.spec().caller());
    assertThat(found.status().callback())
        .isEqualTo(CallbackStatus.pending(request.callbackToken().fingerprint()));
  }

  @Test
  default void storesTimesAndDurationsAsIsoStrings() {
    NewExecution request = executions().withCaller("researcher");
    store().create(request);
    store().markInProgress(request.id(), TestExecutions.CREATED.plusSeconds(1));

    String spec = column("spec", request.id());
    String status = column("status", request.id());

    assertThat(spec).contains("\"PT30M\"").contains("\"PT45S\"");
    assertThat(status).contains("\"2025-03-04T05:06:08.123456789Z\"");
  }

  @Test
  default void executionWithoutCallerHasNoCallbackAndNoToken() {
    NewExecution request = executions().withoutCaller("researcher");

    store().create(request);

    Execution found = store().find(request.id()).orElseThrow();
    assertThat(found.spec().caller()).isNull();
    assertThat(found.spec().callerHeartbeatTimeout()).isNull();
    assertThat(found.status().callback()).isEqualTo(CallbackStatus.none());
    assertThat(store().callbackToken(request.id())).isEmpty();
  }

  @Test
  default void callbackTokenReturnsTheStoredBytes() {
    NewExecution request = executions().withCaller("researcher");
    store().create(request);

    assertThat(store().callbackToken(request.id())).contains(request.callbackToken());
  }

  @Test
  default void createWithATakenIdempotencyKeyReturnsTheExistingExecution() {
    NewExecution first = executions().withCaller("researcher");
    store().create(first);
    store().markInProgress(first.id(), TestExecutions.CREATED.plusSeconds(1));

    CreateResult again = store().create(executions().duplicateOf(first));

    assertThat(again.created()).isFalse();
    assertThat(again.execution()).isEqualTo(store().find(first.id()).orElseThrow());
    assertThat(again.execution().phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(store().callbackToken(first.id())).contains(first.callbackToken());
  }

  @Test
  default void concurrentDuplicateCreatesStoreExactlyOneExecution() throws Exception {
    NewExecution first = executions().withCaller("researcher");
    int threads = 20;
    List<NewExecution> duplicates = new ArrayList<>();
    duplicates.add(first);
    while (duplicates.size() < threads) {
      duplicates.add(executions().duplicateOf(first));
    }
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<CreateResult> results = new ArrayList<>();
    try {
      List<Future<CreateResult>> futures = new ArrayList<>();
      for (NewExecution duplicate : duplicates) {
        futures.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return store().create(duplicate);
                }));
      }
      for (Future<CreateResult> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(results).filteredOn(CreateResult::created).hasSize(1);
    String winner =
        results.stream().filter(CreateResult::created).findFirst().orElseThrow().execution().id();
    assertThat(results).allSatisfy(result -> assertThat(result.execution().id()).isEqualTo(winner));
    int rows =
        database()
            .jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery("SELECT COUNT(*) FROM executions WHERE idempotency_key = :key")
                        .bind("key", first.idempotencyKey())
                        .mapTo(Integer.class)
                        .one());
    assertThat(rows).isEqualTo(1);
    assertThat(store().changesSince(winner, 0, 100)).hasSize(1);
  }

  @Test
  default void executionsWithoutIdempotencyKeyAreAlwaysCreated() {
    NewExecution one = executions().withoutCaller("researcher");
    NewExecution two = executions().withoutCaller("researcher");

    assertThat(store().create(one).created()).isTrue();
    assertThat(store().create(two).created()).isTrue();
    assertThat(store().find(two.id())).isPresent();
  }

  @Test
  default void findOfAnUnknownIdIsEmpty() {
    assertThat(store().find(executions().nextId())).isEmpty();
    assertThat(store().callbackToken(executions().nextId())).isEmpty();
  }

  @Test
  default void changingAnUnknownIdThrowsNotFound() {
    String unknown = executions().nextId();

    assertThatThrownBy(() -> store().markInProgress(unknown, TestExecutions.CREATED))
        .isInstanceOf(ExecutionNotFoundException.class)
        .hasMessageContaining(unknown);
    assertThatThrownBy(
            () -> store().finish(unknown, Termination.cancelled("stop", TestExecutions.CREATED)))
        .isInstanceOf(ExecutionNotFoundException.class);
    assertThatThrownBy(() -> store().updateCallback(unknown, CallbackStatus.none()))
        .isInstanceOf(ExecutionNotFoundException.class);
    assertThatThrownBy(
            () ->
                store()
                    .rebindCallback(
                        unknown, TestExecutions.token("t"), TestExecutions.caller(unknown, 2)))
        .isInstanceOf(ExecutionNotFoundException.class);
  }

  @Test
  default void reopeningTheDatabaseKeepsExecutionsAndAppliesNoMigrationTwice() {
    NewExecution request = executions().withCaller("researcher");
    store().create(request);
    int migrations = appliedMigrations();

    reopen();
    reopen();

    assertThat(migrations).isPositive();
    assertThat(appliedMigrations()).isEqualTo(migrations);
    assertThat(store().find(request.id())).contains(request.toExecution());
    assertThat(store().callbackToken(request.id())).contains(request.callbackToken());
  }

  private String column(String name, String id) {
    return database()
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT " + name + " FROM executions WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .one());
  }

  private int appliedMigrations() {
    return database()
        .jdbi()
        .withHandle(
            handle ->
                handle
                    .createQuery("SELECT COUNT(*) FROM flyway_schema_history")
                    .mapTo(Integer.class)
                    .one());
  }
}
