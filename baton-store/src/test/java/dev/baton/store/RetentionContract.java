package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionEvent.Type;
import dev.baton.execution.Termination;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention: ended executions whose callback is settled are deleted whole once nothing changed for
 * the retention period; anything a caller or an agent may still need is kept.
 */
interface RetentionContract extends StoreFixture {
  Instant ENDED = TestExecutions.CREATED.plusSeconds(30);
  Instant LATER = Instant.now().plus(Duration.ofDays(1));

  @Test
  default void deletesEndedExecutionsWithASettledCallbackAndEverythingOfThem() {
    String nobodyWaits = ended(store().create(executions().withoutCaller("a")).execution().id());
    String delivered = ended(store().create(executions().withCaller("a")).execution().id());
    store()
        .updateCallback(
            delivered, new CallbackStatus(CallbackState.DELIVERED, 1, null, ENDED, null));
    store()
        .appendEvents(nobodyWaits, List.of(ExecutionEvent.of(ENDED, Type.LOG_LINE, "done", null)));
    String undelivered = ended(store().create(executions().withCaller("a")).execution().id());
    String running = store().create(executions().withoutCaller("a")).execution().id();
    store().markInProgress(running, ENDED);
    String queued = store().create(executions().withoutCaller("a")).execution().id();

    List<String> deleted = store().deleteSettled(Duration.ZERO, LATER, 100);

    assertThat(deleted).containsExactlyInAnyOrder(nobodyWaits, delivered);
    assertThat(store().find(nobodyWaits)).isEmpty();
    assertThat(store().find(delivered)).isEmpty();
    assertThat(store().eventsSince(nobodyWaits, 0, 10)).isEmpty();
    assertThat(store().changesSince(delivered, 0, 10)).isEmpty();
    assertThat(store().find(undelivered)).isPresent();
    assertThat(store().find(running)).isPresent();
    assertThat(store().find(queued)).isPresent();
    assertThat(store().deleteSettled(Duration.ZERO, LATER, 100)).isEmpty();
  }

  @Test
  default void keepsExecutionsChangedWithinTheRetentionPeriod() {
    String recent = ended(store().create(executions().withoutCaller("a")).execution().id());

    assertThat(store().deleteSettled(Duration.ofHours(1), LATER, 100)).isEmpty();
    assertThat(store().find(recent)).isPresent();
  }

  @Test
  default void looksOnlyAtExecutionsCreatedBeforeTheBound() {
    // Test ids are created a millisecond apart from CREATED on: this one at CREATED + 1 ms.
    String id = ended(store().create(executions().withoutCaller("a")).execution().id());

    assertThat(store().deleteSettled(Duration.ZERO, TestExecutions.CREATED.plusMillis(1), 100))
        .isEmpty();
    assertThat(store().deleteSettled(Duration.ZERO, TestExecutions.CREATED.plusMillis(2), 100))
        .containsExactly(id);
  }

  @Test
  default void deletesAtMostTheLimitAtOnceOldestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(ended(store().create(executions().withoutCaller("a")).execution().id()));
    }

    assertThat(store().deleteSettled(Duration.ZERO, LATER, 2))
        .containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    assertThat(store().deleteSettled(Duration.ZERO, LATER, 2)).containsExactly(ids.get(2));
  }

  private String ended(String id) {
    store().markInProgress(id, ENDED.minusSeconds(1));
    store().finish(id, Termination.completed("answer", null, ENDED));
    return id;
  }
}
