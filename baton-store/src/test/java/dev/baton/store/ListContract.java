package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionPage;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.execution.NewExecution;
import dev.baton.execution.Termination;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Listing executions and finding undelivered callbacks. */
interface ListContract extends StoreFixture {

  @Test
  default void listPagesThroughAllExecutionsNewestFirst() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(create(executions().withCaller("researcher")));
    }

    ExecutionPage first = store().list(new ExecutionQuery(Set.of(), null, 2, null));
    ExecutionPage second = store().list(new ExecutionQuery(Set.of(), null, 2, first.nextAfterId()));
    ExecutionPage last = store().list(new ExecutionQuery(Set.of(), null, 2, second.nextAfterId()));

    assertThat(idsOf(first)).containsExactly(ids.get(4), ids.get(3));
    assertThat(first.nextAfterId()).isEqualTo(ids.get(3));
    assertThat(idsOf(second)).containsExactly(ids.get(2), ids.get(1));
    assertThat(idsOf(last)).containsExactly(ids.get(0));
    assertThat(last.nextAfterId()).isNull();
  }

  @Test
  default void aPageThatEndsExactlyAtTheLastExecutionHasNoNextPage() {
    String older = create(executions().withCaller("researcher"));
    String newer = create(executions().withCaller("researcher"));

    ExecutionPage page = store().list(new ExecutionQuery(Set.of(), null, 2, null));

    assertThat(idsOf(page)).containsExactly(newer, older);
    assertThat(page.nextAfterId()).isNull();
  }

  @Test
  default void listFiltersByPhaseAndAgent() {
    String pendingResearcher = create(executions().withCaller("researcher"));
    String runningResearcher = create(executions().withCaller("researcher"));
    String runningWriter = create(executions().withCaller("writer"));
    String failedWriter = create(executions().withoutCaller("writer"));
    store().markInProgress(runningResearcher, TestExecutions.CREATED);
    store().markInProgress(runningWriter, TestExecutions.CREATED);
    store()
        .finish(
            failedWriter,
            Termination.failed(new ExecutionError("AgentFailed", "boom"), TestExecutions.CREATED));

    assertThat(idsOf(list(Set.of(ExecutionPhase.IN_PROGRESS), null)))
        .containsExactly(runningWriter, runningResearcher);
    assertThat(idsOf(list(Set.of(ExecutionPhase.PENDING, ExecutionPhase.FAILED), null)))
        .containsExactly(failedWriter, pendingResearcher);
    assertThat(idsOf(list(Set.of(), "researcher")))
        .containsExactly(runningResearcher, pendingResearcher);
    assertThat(idsOf(list(Set.of(ExecutionPhase.IN_PROGRESS), "writer")))
        .containsExactly(runningWriter);
    assertThat(idsOf(list(Set.of(ExecutionPhase.COMPLETED), null))).isEmpty();
  }

  @Test
  default void filteredPagesContinueAfterTheLastIdOfThePreviousPage() {
    List<String> writers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      writers.add(create(executions().withCaller("writer")));
      create(executions().withCaller("researcher"));
    }

    ExecutionPage first = store().list(new ExecutionQuery(Set.of(), "writer", 2, null));
    ExecutionPage second =
        store().list(new ExecutionQuery(Set.of(), "writer", 2, first.nextAfterId()));

    assertThat(idsOf(first)).containsExactly(writers.get(2), writers.get(1));
    assertThat(idsOf(second)).containsExactly(writers.get(0));
    assertThat(second.nextAfterId()).isNull();
  }

  @Test
  default void listFiltersOnEveryGivenLabelAndPagesThroughTheMatches() {
    String searchOld = create(executions().labelled("writer", Map.of("team", "search")));
    String searchTicket =
        create(executions().labelled("writer", Map.of("team", "search", "ticket", "BAT-7")));
    create(executions().labelled("writer", Map.of("team", "billing", "ticket", "BAT-7")));
    create(executions().labelled("writer", Map.of("team.name", "search")));
    String dotted = create(executions().labelled("researcher", Map.of("team.name", "search")));
    String searchNew = create(executions().labelled("researcher", Map.of("team", "search")));

    assertThat(idsOf(listLabelled(Map.of("team", "search"), null)))
        .containsExactly(searchNew, searchTicket, searchOld);
    assertThat(idsOf(listLabelled(Map.of("team", "search", "ticket", "BAT-7"), null)))
        .containsExactly(searchTicket);
    assertThat(idsOf(listLabelled(Map.of("team", "search"), "writer")))
        .containsExactly(searchTicket, searchOld);
    // A dot in a key is part of the key, not a step into a nested object.
    assertThat(idsOf(listLabelled(Map.of("team.name", "search"), "researcher")))
        .containsExactly(dotted);
    assertThat(idsOf(listLabelled(Map.of("team", "Search"), null))).isEmpty();
    assertThat(idsOf(listLabelled(Map.of("owner", "search"), null))).isEmpty();

    ExecutionPage first =
        store().list(new ExecutionQuery(Set.of(), null, Map.of("team", "search"), 2, null));
    ExecutionPage second =
        store()
            .list(
                new ExecutionQuery(
                    Set.of(), null, Map.of("team", "search"), 2, first.nextAfterId()));
    assertThat(idsOf(first)).containsExactly(searchNew, searchTicket);
    assertThat(idsOf(second)).containsExactly(searchOld);
    assertThat(second.nextAfterId()).isNull();
  }

  @Test
  default void withPendingCallbackReturnsUndeliveredCallbacksOldestFirst() {
    String oldest = create(executions().withCaller("researcher"));
    String delivered = create(executions().withCaller("researcher"));
    create(executions().withoutCaller("researcher"));
    String middle = create(executions().withCaller("researcher"));
    String newest = create(executions().withCaller("researcher"));
    store()
        .updateCallback(
            delivered,
            new CallbackStatus(CallbackState.DELIVERED, 1, null, TestExecutions.CREATED, null));

    assertThat(store().withPendingCallback(10))
        .extracting(Execution::id)
        .containsExactly(oldest, middle, newest);
    assertThat(store().withPendingCallback(2))
        .extracting(Execution::id)
        .containsExactly(oldest, middle);
  }

  private String create(NewExecution execution) {
    return store().create(execution).execution().id();
  }

  private ExecutionPage list(Set<ExecutionPhase> phases, String agent) {
    return store().list(new ExecutionQuery(phases, agent, 100, null));
  }

  private ExecutionPage listLabelled(Map<String, String> labels, String agent) {
    return store().list(new ExecutionQuery(Set.of(), agent, labels, 100, null));
  }

  private static List<String> idsOf(ExecutionPage page) {
    return page.executions().stream().map(Execution::id).toList();
  }
}
