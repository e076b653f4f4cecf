package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionEvent.Type;
import dev.baton.execution.ExecutionNotFoundException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Progress events: numbered in order per execution, read back after a sequence. */
interface EventContract extends StoreFixture {
  Instant AT = TestExecutions.CREATED.plusSeconds(2);

  @Test
  default void appendedEventsAreNumberedInOrderAndReadBackWhole() {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();

    List<ExecutionEvent> first =
        store()
            .appendEvents(
                id,
                List.of(
                    ExecutionEvent.of(AT, Type.LOG_LINE, "loading", null),
                    ExecutionEvent.of(
                        AT.plusNanos(1), Type.TOOL_CALL_STARTED, "grep", "{\"q\":\"x\"}")));
    List<ExecutionEvent> second =
        store().appendEvents(id, List.of(ExecutionEvent.of(AT, Type.MESSAGE_CHUNK, "Hé ", null)));

    assertThat(first).extracting(ExecutionEvent::sequence).containsExactly(1L, 2L);
    assertThat(second).extracting(ExecutionEvent::sequence).containsExactly(3L);
    List<ExecutionEvent> stored = store().eventsSince(id, 0, 100);
    assertThat(stored).containsExactly(first.get(0), first.get(1), second.get(0));
    assertThat(stored.get(1).time()).isEqualTo(AT.plusNanos(1));
    assertThat(stored.get(1).data()).isEqualTo("{\"q\":\"x\"}");
  }

  @Test
  default void eventsSinceStartsAfterTheGivenSequenceAndHonoursTheLimit() {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();
    String other = store().create(executions().withoutCaller("researcher")).execution().id();
    store().appendEvents(other, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "other", null)));
    for (int i = 1; i <= 5; i++) {
      store().appendEvents(id, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "line " + i, null)));
    }

    assertThat(store().eventsSince(id, 1, 2))
        .extracting(ExecutionEvent::text)
        .containsExactly("line 2", "line 3");
    assertThat(store().eventsSince(id, 5, 10)).isEmpty();
    assertThat(store().eventsSince(executions().nextId(), 0, 10)).isEmpty();
    assertThat(store().eventsSince(other, 0, 10))
        .extracting(ExecutionEvent::sequence)
        .containsExactly(1L);
  }

  @Test
  default void appendingToAnUnknownExecutionFails() {
    String unknown = executions().nextId();

    assertThatThrownBy(
            () ->
                store()
                    .appendEvents(
                        unknown, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "line", null))))
        .isInstanceOf(ExecutionNotFoundException.class);
    assertThatThrownBy(() -> store().appendEvents(unknown, List.of()))
        .isInstanceOf(ExecutionNotFoundException.class);
  }

  @Test
  default void eventsDoNotChangeTheExecutionsSequence() {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();

    store().appendEvents(id, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "line", null)));

    assertThat(store().find(id).orElseThrow().sequence()).isEqualTo(1);
    assertThat(store().changesSince(id, 0, 10)).hasSize(1);
  }

  @Test
  default void concurrentAppendersGetDistinctGaplessNumbers() throws Exception {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();
    int writers = 4;
    int batches = 10;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String name = "writer " + w;
        tasks.add(
            () -> {
              for (int b = 0; b < batches; b++) {
                store()
                    .appendEvents(
                        id,
                        List.of(
                            ExecutionEvent.of(AT, Type.LOG_LINE, name, null),
                            ExecutionEvent.of(AT, Type.LOG_LINE, name, null)));
              }
              return null;
            });
      }
      for (Future<Void> future : pool.invokeAll(tasks)) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    List<ExecutionEvent> stored = store().eventsSince(id, 0, 1000);
    assertThat(stored)
        .extracting(ExecutionEvent::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
    for (int i = 0; i < stored.size(); i += 2) {
      // A batch is stored whole: its two events are adjacent.
      assertThat(stored.get(i + 1).text()).isEqualTo(stored.get(i).text());
    }
  }

  @Test
  default void eventsSurviveAReopen() {
    String id = store().create(executions().withoutCaller("researcher")).execution().id();
    store().appendEvents(id, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "kept", null)));

    reopen();

    assertThat(store().eventsSince(id, 0, 10))
        .extracting(ExecutionEvent::text)
        .containsExactly("kept");
    assertThat(
            store().appendEvents(id, List.of(ExecutionEvent.of(AT, Type.LOG_LINE, "next", null))))
        .extracting(ExecutionEvent::sequence)
        .containsExactly(2L);
  }
}
