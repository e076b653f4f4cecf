package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.RunLease;
import dev.baton.execution.Termination;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Run leases of eagerly started agents: taken with the start, renewed, released, lost. */
interface LeaseContract extends StoreFixture {
  Instant STARTED = TestExecutions.CREATED.plusSeconds(1);
  Instant UNTIL = STARTED.plusSeconds(30);

  @Test
  default void startLeasedStartsAPendingExecutionAndTakesTheLease() {
    String id = create();

    Optional<Execution> started = store().startLeased(id, new RunLease("server-a", UNTIL), STARTED);

    assertThat(started).isPresent();
    assertThat(started.get().phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(started.get().status().startTime()).isEqualTo(STARTED);
    assertThat(store().find(id).orElseThrow().phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(store().lease(id)).contains(new RunLease("server-a", UNTIL));
  }

  @Test
  default void anExecutionPastPendingIsNeitherChangedNorLeased() {
    String id = create();
    store().markInProgress(id, STARTED);

    assertThat(store().startLeased(id, new RunLease("server-a", UNTIL), STARTED)).isEmpty();
    assertThat(store().lease(id)).isEmpty();
    assertThat(store().find(id).orElseThrow().sequence()).isEqualTo(2);
  }

  @Test
  default void concurrentStartsLeaseOnce() throws Exception {
    String id = create();
    int servers = 4;
    CyclicBarrier together = new CyclicBarrier(servers);
    ExecutorService pool = Executors.newFixedThreadPool(servers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        String owner = "server-" + i;
        Callable<Boolean> start =
            () -> {
              together.await(10, TimeUnit.SECONDS);
              return store().startLeased(id, new RunLease(owner, UNTIL), STARTED).isPresent();
            };
        results.add(pool.submit(start));
      }
      int winners = 0;
      for (Future<Boolean> result : results) {
        winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(store().find(id).orElseThrow().sequence()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void onlyTheOwnerRenewsWhileTheExecutionRuns() {
    String id = create();
    store().startLeased(id, new RunLease("server-a", UNTIL), STARTED);
    Instant later = UNTIL.plusSeconds(30);

    assertThat(store().renewLease(id, new RunLease("server-b", later))).isFalse();
    assertThat(store().renewLease(id, new RunLease("server-a", later))).isTrue();
    assertThat(store().lease(id)).contains(new RunLease("server-a", later));

    store().finish(id, Termination.cancelled("stop", later));

    assertThat(store().renewLease(id, new RunLease("server-a", later.plusSeconds(30)))).isFalse();
    assertThat(store().lease(id)).contains(new RunLease("server-a", later));
  }

  @Test
  default void onlyTheOwnerReleases() {
    String id = create();
    store().startLeased(id, new RunLease("server-a", UNTIL), STARTED);

    store().releaseLease(id, "server-b");
    assertThat(store().lease(id)).isPresent();

    store().releaseLease(id, "server-a");
    assertThat(store().lease(id)).isEmpty();
    assertThat(store().renewLease(id, new RunLease("server-a", UNTIL))).isFalse();
  }

  @Test
  default void aLeaseOutlivesARestartAndLapsesByTime() {
    String id = create();
    store().startLeased(id, new RunLease("server-a", UNTIL), STARTED);

    reopen();

    RunLease lease = store().lease(id).orElseThrow();
    assertThat(lease.isLiveAt(UNTIL.minusMillis(1))).isTrue();
    assertThat(lease.isLiveAt(UNTIL)).isFalse();
  }

  private String create() {
    return store().create(executions().withoutCaller("coder")).execution().id();
  }
}
