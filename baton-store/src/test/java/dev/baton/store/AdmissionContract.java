package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.SlotClaim;
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
import org.junit.jupiter.api.Test;

/** Slot claims of agents with a concurrency limit: atomic, per agent, in creation order. */
interface AdmissionContract extends StoreFixture {
  Instant CLAIMED = TestExecutions.CREATED.plusSeconds(2);

  @Test
  default void claimsASlotWhileFewerThanTheLimitRun() {
    String first = create("coder");
    String second = create("coder");

    SlotClaim claim = store().claimSlot(first, 1, CLAIMED);

    assertThat(claim.admitted()).isTrue();
    assertThat(claim.execution().phase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    assertThat(claim.execution().status().startTime()).isEqualTo(CLAIMED);
    assertThat(store().changesSince(first, 0, 10)).hasSize(2);

    SlotClaim queued = store().claimSlot(second, 1, CLAIMED);

    assertThat(queued.admitted()).isFalse();
    assertThat(queued.ahead()).isEqualTo(1);
    assertThat(store().find(second).orElseThrow().phase()).isEqualTo(ExecutionPhase.PENDING);
  }

  @Test
  default void aFreedSlotGoesToTheOldestQueuedExecution() {
    String running = create("coder");
    String older = create("coder");
    String newer = create("coder");
    store().claimSlot(running, 1, CLAIMED);
    store().finish(running, Termination.completed("done", null, CLAIMED));

    assertThat(store().claimSlot(newer, 1, CLAIMED).admitted()).isFalse();
    assertThat(store().claimSlot(older, 1, CLAIMED).admitted()).isTrue();
    assertThat(store().pendingOf("coder", 10)).containsExactly(newer);
  }

  @Test
  default void otherAgentsDoNotTakeSlots() {
    String other = create("reviewer");
    store().markInProgress(other, CLAIMED);
    String mine = create("coder");

    assertThat(store().claimSlot(mine, 1, CLAIMED).admitted()).isTrue();
  }

  @Test
  default void anExecutionPastPendingIsReturnedUnchanged() {
    String started = create("coder");
    store().claimSlot(started, 1, CLAIMED);
    String ended = create("coder");
    store().finish(ended, Termination.cancelled("stop", CLAIMED));

    SlotClaim again = store().claimSlot(started, 1, CLAIMED.plusSeconds(5));
    SlotClaim finished = store().claimSlot(ended, 1, CLAIMED);

    assertThat(again.admitted()).isTrue();
    assertThat(again.execution().sequence()).isEqualTo(2);
    assertThat(finished.admitted()).isFalse();
    assertThat(finished.execution().phase()).isEqualTo(ExecutionPhase.CANCELLED);
  }

  @Test
  default void aheadCountsTheAgentsRunningAndOlderQueuedExecutionsOnly() {
    String ended = create("coder");
    store().claimSlot(ended, 5, CLAIMED);
    store().finish(ended, Termination.completed("done", null, CLAIMED));
    store().claimSlot(create("coder"), 5, CLAIMED);
    create("coder");
    String mine = create("coder");
    create("coder");
    store().markInProgress(create("reviewer"), CLAIMED);

    SlotClaim claim = store().claimSlot(mine, 2, CLAIMED);

    assertThat(claim.admitted()).isFalse();
    assertThat(claim.ahead()).isEqualTo(2); // the running one and the older queued one
  }

  @Test
  default void pendingExecutionsAreCountedByAgent() {
    create("coder");
    create("coder");
    store().markInProgress(create("reviewer"), CLAIMED);

    assertThat(store().stats().pendingByAgent())
        .containsExactlyEntriesOf(java.util.Map.of("coder", 2L));
  }

  @Test
  default void concurrentClaimsNeverExceedTheLimit() throws Exception {
    int executions = 12;
    int limit = 3;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < executions; i++) {
      ids.add(create("coder"));
    }
    CyclicBarrier barrier = new CyclicBarrier(executions);
    ExecutorService pool = Executors.newFixedThreadPool(executions);
    try {
      List<Future<SlotClaim>> claims = new ArrayList<>();
      for (String id : ids) {
        Callable<SlotClaim> claim =
            () -> {
              barrier.await(10, TimeUnit.SECONDS);
              return store().claimSlot(id, limit, CLAIMED);
            };
        claims.add(pool.submit(claim));
      }
      long admitted = 0;
      for (Future<SlotClaim> claim : claims) {
        admitted += claim.get(60, TimeUnit.SECONDS).admitted() ? 1 : 0;
      }
      assertThat(admitted).isLessThanOrEqualTo(limit);
      assertThat(store().stats().inProgress()).isEqualTo(admitted);
    } finally {
      pool.shutdownNow();
    }
  }

  private String create(String agent) {
    return store().create(executions().withoutCaller(agent)).execution().id();
  }
}
