package dev.baton.execution;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflow of an eager run only when the run needs one (ADR 0003): once the run outlives
 * the delay, or as soon as it ends without its end both recorded and delivered (a failure a retry
 * may mend, a stop, a delivery to retry). A run that records and delivers its end within the delay
 * never starts one: the execution has ended and the caller has its result.
 *
 * <p>Until then the execution is held by the store alone: stored IN_PROGRESS under the run's lease,
 * which the run renews. If this server dies, the lease lapses and the reconciler starts the
 * workflow, whose agent activity runs the agent again, as after a crash of a server whose workflow
 * had started. A start that fails (Temporal unreachable) is retried while the run lasts; one that
 * still fails once the run ended without recording an end puts the execution back to PENDING for
 * the reconciler.
 */
final class DeferredWorkflowStarts implements AutoCloseable {
  /** The first wait before a failed start is tried again; it doubles up to {@link #RETRY_MAX}. */
  static final Duration RETRY_FIRST = Duration.ofSeconds(1);

  static final Duration RETRY_MAX = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(DeferredWorkflowStarts.class);

  private final Duration delay;
  private final ScheduledThreadPoolExecutor timers;
  private final ExecutorService starters;
  private final Map<String, Deferred> pending = new ConcurrentHashMap<>();

  /**
   * @param delay how long a run goes without its workflow; positive
   */
  DeferredWorkflowStarts(Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("the delay must be positive, got " + delay);
    }
    this.delay = delay;
    this.timers =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("baton-workflow-start-timer"));
    // A quick run cancels its timer: without this, each stayed queued for the whole delay.
    timers.setRemoveOnCancelPolicy(true);
    this.starters = Executors.newCachedThreadPool(DaemonThreads.numbered("baton-workflow-start-"));
  }

  /**
   * Starts the run's workflow with {@code startWorkflow} when the run needs one, and settles {@link
   * EagerRun#workflowStarted} either way.
   *
   * @param abandon puts the execution back to PENDING when the workflow could not start and the run
   *     ended without recording an end
   */
  void schedule(EagerRun run, Runnable startWorkflow, Runnable abandon) {
    Deferred deferred = new Deferred(run, startWorkflow, abandon);
    pending.put(run.executionId(), deferred);
    try {
      deferred.timer =
          timers.schedule(deferred::startSoon, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      deferred.settle(false);
      return;
    }
    run.result().whenComplete((output, failure) -> deferred.runEnded());
  }

  /**
   * Gives up on the starts not yet made: their runs' leases lapse (unless their runs drop them) and
   * the reconciler starts their workflows. Call after the runs stopped, so that the runs that ended
   * unrecorded had their starts tried.
   */
  @Override
  public void close() {
    timers.shutdownNow();
    DaemonThreads.stop(starters, Duration.ofSeconds(10));
    for (Deferred deferred : pending.values()) {
      deferred.settle(false);
    }
  }

  /** One run's workflow, not started yet. */
  private final class Deferred {
    private final EagerRun run;
    private final Runnable startWorkflow;
    private final Runnable abandon;
    private volatile ScheduledFuture<?> timer;
    private Duration retryAfter = RETRY_FIRST;
    private boolean starting;
    private boolean settled;

    Deferred(EagerRun run, Runnable startWorkflow, Runnable abandon) {
      this.run = run;
      this.startWorkflow = startWorkflow;
      this.abandon = abandon;
    }

    void runEnded() {
      CallbackState recorded = run.recordedCallback();
      if (recorded != null && recorded.isFinal()) {
        // Recorded and delivered: nothing is left for a workflow to do.
        ScheduledFuture<?> scheduled = timer;
        if (scheduled != null) {
          scheduled.cancel(false);
        }
        settle(false);
        return;
      }
      startSoon();
    }

    void startSoon() {
      synchronized (this) {
        if (settled || starting) {
          return;
        }
        starting = true;
      }
      try {
        starters.execute(this::start);
      } catch (RejectedExecutionException closing) {
        settle(false);
      }
    }

    private void start() {
      try {
        startWorkflow.run();
        settle(true);
        return;
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    private void failed(RuntimeException e) {
      if (!run.result().isDone()) {
        log.warn(
            "could not start the workflow of execution={}, its agent runs on; trying again in {}: {}",
            run.executionId(),
            retryAfter,
            e.toString());
        synchronized (this) {
          starting = false;
        }
        try {
          timers.schedule(this::startSoon, retryAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
          settle(false);
        }
        retryAfter = min(retryAfter.multipliedBy(2), RETRY_MAX);
        return;
      }
      if (run.recordedCallback() == null) {
        log.warn(
            "could not start the workflow of execution={} after its run ended unrecorded; it goes"
                + " back to PENDING for the reconciler: {}",
            run.executionId(),
            e.toString());
        abandon.run();
      } else {
        log.warn(
            "could not start the workflow of execution={} to deliver its recorded end; the"
                + " reconciler delivers it: {}",
            run.executionId(),
            e.toString());
      }
      settle(false);
    }

    void settle(boolean started) {
      synchronized (this) {
        if (settled) {
          return;
        }
        settled = true;
      }
      pending.remove(run.executionId(), this);
      run.workflowStarted(started);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
