package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.Termination;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Status changes: sequence, replay, forward-only phases, first terminal outcome wins. */
interface TransitionContract extends StoreFixture {
  Instant STARTED = TestExecutions.CREATED.plusSeconds(1);
  Instant ENDED = TestExecutions.CREATED.plusSeconds(60);

  @Test
  default void everyChangeIncrementsTheSequenceAndIsReplayedInOrder() {
    String id = store().create(executions().withCaller("researcher")).execution().id();
    String fingerprint = store().find(id).orElseThrow().status().callback().tokenFingerprint();

    Execution started = store().markInProgress(id, STARTED);
    Execution finished =
        store().finish(id, Termination.completed("answer", "{\"score\":1}", ENDED));
    Execution delivered =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.DELIVERED, 1, null, ENDED, fingerprint));

    assertThat(started.sequence()).isEqualTo(2);
    assertThat(finished.sequence()).isEqualTo(3);
    assertThat(delivered.sequence()).isEqualTo(4);
    assertThat(store().find(id)).contains(delivered);
    List<Execution> changes = store().changesSince(id, 0, 100);
    assertThat(changes).extracting(Execution::sequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(changes)
        .extracting(Execution::phase)
        .containsExactly(
            ExecutionPhase.PENDING,
            ExecutionPhase.IN_PROGRESS,
            ExecutionPhase.COMPLETED,
            ExecutionPhase.COMPLETED);
    assertThat(changes.get(1)).isEqualTo(started);
    assertThat(changes.get(2)).isEqualTo(finished);
    assertThat(changes.get(3)).isEqualTo(delivered);
  }

  @Test
  default void changesSinceStartsAfterTheGivenSequenceAndHonoursTheLimit() {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();
    store().markInProgress(id, STARTED);
    store().finish(id, Termination.completed("answer", null, ENDED));

    assertThat(store().changesSince(id, 1, 1)).extracting(Execution::sequence).containsExactly(2L);
    assertThat(store().changesSince(id, 2, 10)).extracting(Execution::sequence).containsExactly(3L);
    assertThat(store().changesSince(id, 3, 10)).isEmpty();
    assertThat(store().changesSince(executions().nextId(), 0, 10)).isEmpty();
  }

  @Test
  default void markInProgressChangesOnlyAPendingExecution() {
    String id = store().create(executions().withCaller("researcher")).execution().id();

    Execution started = store().markInProgress(id, STARTED);
    Execution again = store().markInProgress(id, STARTED.plusSeconds(5));

    assertThat(started.phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(started.status().startTime()).isEqualTo(STARTED);
    assertThat(again).isEqualTo(started);
    assertThat(store().changesSince(id, 0, 100)).hasSize(2);
  }

  @Test
  default void theFirstTerminalOutcomeWins() {
    String id = store().create(executions().withCaller("researcher")).execution().id();
    store().markInProgress(id, STARTED);

    Execution completed = store().finish(id, Termination.completed("answer", null, ENDED));
    Execution late =
        store()
            .finish(
                id,
                Termination.failed(
                    new ExecutionError(ExecutionError.AGENT_TIMEOUT, "too slow"),
                    ENDED.plusSeconds(1)));

    assertThat(late).isEqualTo(completed);
    assertThat(late.phase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(late.status().output()).isEqualTo("answer");
    assertThat(late.status().startTime()).isEqualTo(STARTED);
    assertThat(late.status().endTime()).isEqualTo(ENDED);
    assertThat(late.status().error()).isNull();
  }

  @Test
  default void aTerminalExecutionNeverMovesBack() {
    String id = store().create(executions().withCaller("researcher")).execution().id();
    Execution cancelled = store().finish(id, Termination.cancelled("caller gone", ENDED));

    Execution afterStart = store().markInProgress(id, STARTED);

    assertThat(cancelled.phase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(cancelled.status().error().type()).isEqualTo(ExecutionError.CANCELLED);
    assertThat(afterStart).isEqualTo(cancelled);
    assertThat(store().find(id)).contains(cancelled);
  }

  @Test
  default void concurrentChangesAreNeitherLostNorReordered() throws Exception {
    String id = store().create(executions().withCaller("researcher")).execution().id();
    int writers = 12;
    List<Callable<Execution>> updates = new ArrayList<>();
    for (int attempt = 1; attempt <= writers; attempt++) {
      CallbackStatus status =
          new CallbackStatus(CallbackState.PENDING, attempt, "unavailable " + attempt, null, null);
      updates.add(() -> store().updateCallback(id, status));
    }

    runTogether(updates);

    Execution last = store().find(id).orElseThrow();
    assertThat(last.sequence()).isEqualTo(writers + 1L);
    assertThat(store().changesSince(id, 0, 100))
        .extracting(Execution::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, writers + 1).boxed().toList());
  }

  @Test
  default void concurrentTerminationsRecordExactlyOneOutcome() throws Exception {
    String id = store().create(executions().withCaller("researcher")).execution().id();
    List<Callable<Execution>> finishes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String output = "answer " + i;
      finishes.add(() -> store().finish(id, Termination.completed(output, null, ENDED)));
    }

    List<Execution> results = runTogether(finishes);

    Execution stored = store().find(id).orElseThrow();
    assertThat(stored.sequence()).isEqualTo(2);
    assertThat(results).allSatisfy(result -> assertThat(result).isEqualTo(stored));
  }

  private static List<Execution> runTogether(List<Callable<Execution>> tasks) throws Exception {
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<Execution>> futures = new ArrayList<>();
      for (Callable<Execution> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return task.call();
                }));
      }
      List<Execution> results = new ArrayList<>();
      for (Future<Execution> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
