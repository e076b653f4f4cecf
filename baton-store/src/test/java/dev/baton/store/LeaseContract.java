package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CreateResult;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.NewExecution;
import dev.baton.execution.RunLease;
import dev.baton.execution.Termination;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Run leases of eagerly started agents: taken with the create, renewed, released, abandoned, lost.
 */
interface LeaseContract extends StoreFixture {
  Instant STARTED = TestExecutions.CREATED.plusSeconds(1);
  Instant UNTIL = STARTED.plusSeconds(30);

  @Test
  default void createLeasedStoresTheExecutionStartedAndTakesTheLease() {
    NewExecution fresh = executions().withCaller("coder");

    CreateResult result = store().createLeased(fresh, new RunLease("server-a", UNTIL));

    assertThat(result.created()).isTrue();
    Execution stored = store().find(fresh.id()).orElseThrow();
    assertThat(stored).isEqualTo(result.execution());
    assertThat(stored.phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(stored.status().startTime()).isEqualTo(fresh.createTime());
    assertThat(stored.sequence()).isEqualTo(1);
    assertThat(stored.status().callback().state()).isEqualTo(CallbackState.PENDING);
    assertThat(store().callbackToken(fresh.id())).contains(fresh.callbackToken());
    assertThat(store().lease(fresh.id())).contains(new RunLease("server-a", UNTIL));
    // Watchers replay from the first change: the execution's first state is IN_PROGRESS.
    assertThat(store().changesSince(fresh.id(), 0, 10))
        .extracting(Execution::phase)
        .containsExactly(ExecutionPhase.IN_PROGRESS);
  }

  @Test
  default void aDuplicateCreateLeasedReturnsTheExistingExecutionAndTakesNoLease() {
    NewExecution first = executions().withCaller("coder");
    store().create(first);

    CreateResult again =
        store().createLeased(executions().duplicateOf(first), new RunLease("server-a", UNTIL));

    assertThat(again.created()).isFalse();
    assertThat(again.execution().id()).isEqualTo(first.id());
    assertThat(again.execution().phase()).isEqualTo(ExecutionPhase.PENDING);
    assertThat(store().lease(first.id())).isEmpty();
  }

  @Test
  default void concurrentDuplicateCreatesLeaseOnce() throws Exception {
    NewExecution first = executions().withCaller("coder");
    int servers = 4;
    CyclicBarrier together = new CyclicBarrier(servers);
    ExecutorService pool = Executors.newFixedThreadPool(servers);
    try {
      List<Future<CreateResult>> results = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        String owner = "server-" + i;
        NewExecution attempt = i == 0 ? first : executions().duplicateOf(first);
        Callable<CreateResult> create =
            () -> {
              together.await(10, TimeUnit.SECONDS);
              return store().createLeased(attempt, new RunLease(owner, UNTIL));
            };
        results.add(pool.submit(create));
      }
      List<String> winners = new ArrayList<>();
      String created = null;
      for (int i = 0; i < servers; i++) {
        CreateResult result = results.get(i).get(30, TimeUnit.SECONDS);
        if (result.created()) {
          winners.add("server-" + i);
          created = result.execution().id();
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(store().lease(created).orElseThrow().owner()).isEqualTo(winners.get(0));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void abandoningPutsTheExecutionBackToPendingAndDropsTheLease() {
    String id = createLeased("server-a");

    assertThat(store().abandonLeased(id, "server-b")).isFalse();
    assertThat(store().find(id).orElseThrow().phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);

    assertThat(store().abandonLeased(id, "server-a")).isTrue();
    Execution pending = store().find(id).orElseThrow();
    assertThat(pending.phase()).isEqualTo(ExecutionPhase.PENDING);
    assertThat(pending.status().startTime()).isNull();
    assertThat(store().lease(id)).isEmpty();
    // What a retried Create or the workflow then does with a PENDING execution works as usual.
    assertThat(store().markInProgress(id, STARTED).phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
  }

  @Test
  default void anEndedExecutionIsNotAbandoned() {
    String id = createLeased("server-a");
    store().finish(id, Termination.cancelled("stop", STARTED));

    assertThat(store().abandonLeased(id, "server-a")).isFalse();
    assertThat(store().find(id).orElseThrow().phase()).isEqualTo(ExecutionPhase.CANCELLED);
  }

  @Test
  default void onlyTheOwnerRenewsWhileTheExecutionRuns() {
    // With a callback to deliver, so that the end alone does not end the lease.
    String id =
        store()
            .createLeased(executions().withCaller("coder"), new RunLease("server-a", UNTIL))
            .execution()
            .id();
    Instant later = UNTIL.plusSeconds(30);

    assertThat(store().renewLeases(List.of(id), new RunLease("server-b", later))).isEmpty();
    assertThat(store().renewLeases(List.of(id), new RunLease("server-a", later))).containsOnly(id);
    assertThat(store().lease(id)).contains(new RunLease("server-a", later));

    store().finish(id, Termination.cancelled("stop", later));

    assertThat(store().renewLeases(List.of(id), new RunLease("server-a", later.plusSeconds(30))))
        .isEmpty();
    assertThat(store().lease(id)).contains(new RunLease("server-a", later));
  }

  @Test
  default void oneRenewalExtendsEveryLeaseTheOwnerHoldsOnARunningExecution() {
    // More than one statement's worth of ids (LeaseTable.RENEW_CHUNK is 500).
    List<String> running = new ArrayList<>();
    for (int i = 0; i < 510; i++) {
      running.add(createLeased("server-a"));
    }
    String ended =
        store()
            .createLeased(executions().withCaller("coder"), new RunLease("server-a", UNTIL))
            .execution()
            .id();
    store().finish(ended, Termination.cancelled("stop", STARTED));
    String others = createLeased("server-b");
    String released = createLeased("server-a");
    store().releaseLease(released, "server-a");
    Instant later = UNTIL.plusSeconds(30);
    List<String> asked = new ArrayList<>(running);
    asked.addAll(List.of(ended, others, released, "no-such-execution"));

    Set<String> renewed = store().renewLeases(asked, new RunLease("server-a", later));

    assertThat(renewed).containsExactlyInAnyOrderElementsOf(running);
    assertThat(store().lease(running.get(0))).contains(new RunLease("server-a", later));
    assertThat(store().lease(running.get(509))).contains(new RunLease("server-a", later));
    assertThat(store().lease(ended)).contains(new RunLease("server-a", UNTIL));
    assertThat(store().lease(others)).contains(new RunLease("server-b", UNTIL));
    assertThat(store().renewLeases(List.of(), new RunLease("server-a", later))).isEmpty();
  }

  @Test
  default void onlyTheOwnerReleases() {
    String id = createLeased("server-a");

    store().releaseLease(id, "server-b");
    assertThat(store().lease(id)).isPresent();

    store().releaseLease(id, "server-a");
    assertThat(store().lease(id)).isEmpty();
    assertThat(store().renewLeases(List.of(id), new RunLease("server-a", UNTIL))).isEmpty();
  }

  @Test
  default void aLeaseEndsWithItsExecutionOnceTheCallbackIsFinal() {
    NewExecution withCallback = executions().withCaller("coder");
    String id =
        store().createLeased(withCallback, new RunLease("server-a", UNTIL)).execution().id();

    store().finish(id, Termination.completed("done", null, STARTED));
    assertThat(store().lease(id)).as("ended, callback still to deliver").isPresent();
    store()
        .updateCallback(
            id,
            new CallbackStatus(
                CallbackState.DELIVERED,
                1,
                null,
                STARTED,
                withCallback.callbackToken().fingerprint()));
    assertThat(store().lease(id)).as("ended and delivered").isEmpty();

    String nobodyWaits = createLeased("server-a");
    store()
        .finish(nobodyWaits, Termination.failed(new ExecutionError("AgentFailed", "x"), STARTED));
    assertThat(store().lease(nobodyWaits)).as("ended, no callback").isEmpty();
  }

  @Test
  default void aLeaseOutlivesARestartAndLapsesByTime() {
    String id = createLeased("server-a");

    reopen();

    RunLease lease = store().lease(id).orElseThrow();
    assertThat(lease.isLiveAt(UNTIL.minusMillis(1))).isTrue();
    assertThat(lease.isLiveAt(UNTIL)).isFalse();
  }

  private String createLeased(String owner) {
    return store()
        .createLeased(executions().withoutCaller("coder"), new RunLease(owner, UNTIL))
        .execution()
        .id();
  }
}
