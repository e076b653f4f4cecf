package dev.baton.execution;

import dev.baton.execution.ExecutionLauncher.WorkflowState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs what workflow code cannot see: an execution whose workflow never started, was terminated,
 * or was lost with an embedded Temporal. Every step is idempotent, so several servers sharing a
 * database may all run it.
 *
 * <ul>
 *   <li>PENDING, no workflow: started (its first start failed or was lost). The same for an
 *       execution created IN_PROGRESS under a run lease (eager start) whose lease is still stored:
 *       its server stopped before it started the workflow, or could not put it back to PENDING when
 *       the start failed; the workflow's agent activity runs the agent once the lease lapses.
 *   <li>IN_PROGRESS (or PENDING) whose workflow is gone or closed: FAILED with {@code
 *       ExecutionLost}, and the failure delivered to the caller if the caller still exists.
 *   <li>Ended with its callback still PENDING and no workflow delivering it: delivered again.
 * </ul>
 */
public final class ExecutionReconciler {
  /**
   * A server's settle time: executions younger than this are left alone. It bounds how long an
   * eager run may go without its workflow ({@link EagerRuns}).
   */
  public static final Duration SETTLE_TIME = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(ExecutionReconciler.class);
  private static final int PAGE = 200;
  private static final int MAX_PER_PASS = 5000;

  private final ExecutionStore store;
  private final ExecutionLauncher launcher;
  private final Clock clock;
  private final Duration settleTime;
  private final boolean temporalOutlivesServers;

  /**
   * @param settleTime executions younger than this are left alone: their workflow may be starting
   * @param temporalOutlivesServers false for the embedded Temporal, whose workflows end with the
   *     server process: there an unknown workflow of a started execution was lost, not never
   *     started
   */
  public ExecutionReconciler(
      ExecutionStore store,
      ExecutionLauncher launcher,
      Clock clock,
      Duration settleTime,
      boolean temporalOutlivesServers) {
    this.store = store;
    this.launcher = launcher;
    this.clock = clock;
    this.settleTime = settleTime;
    this.temporalOutlivesServers = temporalOutlivesServers;
  }

  /** What one pass did. */
  public record Report(int started, int lost, int redelivered) {
    public boolean isEmpty() {
      return started == 0 && lost == 0 && redelivered == 0;
    }
  }

  /** One pass over unfinished executions and pending callbacks. */
  public Report reconcileOnce() {
    Instant settled = clock.instant().minus(settleTime);
    int[] counts = new int[3];
    String after = null;
    int seen = 0;
    do {
      ExecutionPage page =
          store.list(
              new ExecutionQuery(
                  EnumSet.of(ExecutionPhase.PENDING, ExecutionPhase.IN_PROGRESS),
                  null,
                  PAGE,
                  after));
      for (Execution execution : page.executions()) {
        if (execution.createTime().isBefore(settled)) {
          reconcileUnfinished(execution, counts);
        }
      }
      seen += page.executions().size();
      after = page.nextAfterId();
    } while (after != null && seen < MAX_PER_PASS);
    List<Execution> pending = store.withPendingCallback(PAGE);
    for (Execution execution : pending) {
      if (execution.phase().isTerminal()
          && execution.status().endTime() != null
          && execution.status().endTime().isBefore(settled)
          && launcher.state(execution.id()) != WorkflowState.RUNNING) {
        launcher.redeliver(execution.id(), execution.status().callback().tokenFingerprint());
        counts[2]++;
      }
    }
    Report report = new Report(counts[0], counts[1], counts[2]);
    if (!report.isEmpty()) {
      log.info(
          "reconciled started={} lost={} redelivered={}",
          report.started(),
          report.lost(),
          report.redelivered());
    }
    return report;
  }

  /** Whether the execution may never have had a workflow: Create stores it before starting one. */
  private boolean neverStarted(Execution execution) {
    return execution.phase() == ExecutionPhase.PENDING
        || (temporalOutlivesServers
            && execution.phase() == ExecutionPhase.IN_PROGRESS
            && store.lease(execution.id()).isPresent());
  }

  private void reconcileUnfinished(Execution execution, int[] counts) {
    WorkflowState state = launcher.state(execution.id());
    if (state == WorkflowState.RUNNING) {
      return;
    }
    // The page was read before the workflow was described: a workflow that has since ended
    // normally recorded its outcome first, so only the store read now tells a lost execution.
    Execution current = store.find(execution.id()).orElse(execution);
    if (current.phase().isTerminal()) {
      return;
    }
    if (state == WorkflowState.NOT_FOUND && neverStarted(current)) {
      log.warn("execution has no workflow; starting it execution={}", execution.id());
      launcher.start(execution.id());
      counts[0]++;
      return;
    }
    String why =
        state == WorkflowState.NOT_FOUND
            ? "the workflow running this execution was lost (Temporal restarted without its"
                + " state, or the workflow was deleted)"
            : "the workflow running this execution ended without recording an outcome (it was"
                + " terminated, reset or failed)";
    Execution failed =
        store.finish(
            execution.id(),
            Termination.failed(
                new ExecutionError(ExecutionError.EXECUTION_LOST, why), clock.instant()));
    log.warn(
        "execution lost execution={} workflowState={} callerWorkflow={} callerActivity={} token={}",
        execution.id(),
        state,
        CallerIdentity.workflowIdOf(execution.spec().caller()),
        CallerIdentity.activityIdOf(execution.spec().caller()),
        failed.status().callback().loggedFingerprint());
    counts[1]++;
    if (failed.status().callback().state() == CallbackState.PENDING) {
      launcher.redeliver(failed.id(), failed.status().callback().tokenFingerprint());
    }
  }
}
