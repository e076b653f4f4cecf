package dev.baton.execution;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentActivitiesImpl;
import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRun;
import dev.baton.agent.AttemptRuns;
import dev.baton.agent.RunMonitor.StopRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-runner activity when agents may start eagerly ({@link EagerRuns}): adopts the run that
 * Create started instead of starting a second one.
 *
 * <ul>
 *   <li>A run of this server: waits for its outcome, heartbeating Temporal, and forwards Temporal's
 *       cancellation to it. An attempt that Temporal timed out leaves the run going, for its retry
 *       to adopt.
 *   <li>A live run lease of another server: waits until the execution ends or the lease ends or
 *       lapses (that server died), heartbeating Temporal; a cancellation ends the wait, and the
 *       owner stops its agent when its renewal finds the execution ended.
 *   <li>Otherwise, or after the wait: the activity of {@code next}, which returns or fails with an
 *       end already recorded, and runs the agent only when there is none.
 * </ul>
 */
public final class AdoptingAgentActivities implements AgentActivities {
  private static final Logger log = LoggerFactory.getLogger(AdoptingAgentActivities.class);

  private final AgentActivities next;
  private final EagerRuns runs;
  private final ExecutionStore store;
  private final Clock clock;
  private final Duration heartbeatEvery;

  /**
   * @param next the activity that runs the agent when no run is to be adopted
   * @param heartbeatEvery how often Temporal hears from an activity that waits
   */
  public AdoptingAgentActivities(
      AgentActivities next,
      EagerRuns runs,
      ExecutionStore store,
      Clock clock,
      Duration heartbeatEvery) {
    this.next = Objects.requireNonNull(next, "next");
    this.runs = Objects.requireNonNull(runs, "runs");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.heartbeatEvery = Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
  }

  @Override
  public AgentOutput run(AgentInvocation invocation) {
    String id = invocation.executionId();
    ActivityExecutionContext context = Activity.getExecutionContext();
    Instant waitingSince = null;
    while (true) {
      Optional<EagerRun> local = runs.find(id);
      if (local.isPresent()) {
        return adopt(local.get(), context);
      }
      Optional<RunLease> lease = lease(id);
      Instant now = clock.instant();
      boolean live = lease.isPresent() && lease.get().isLiveAt(now);
      if (!live || (waitingSince != null && ended(id))) {
        if (lease.isPresent() && !live) {
          logLapsed(id, lease.get(), waitingSince, now);
        }
        return next.run(invocation);
      }
      if (waitingSince == null) {
        logWaiting(id, lease.get(), now);
        waitingSince = now;
      }
      sleep(heartbeatEvery);
      context.heartbeat("running on " + lease.get().owner());
    }
  }

  /**
   * Says what the wait is for and how long it may last: a server killed while its agent ran leaves
   * the lease to lapse, and nothing else happens here until then.
   */
  private static void logWaiting(String id, RunLease lease, Instant now) {
    log.info(
        "agent activity waits for the run of execution={} on {}: its run lease lapses in {} s"
            + " (at {}) unless that server renews it; the agent runs here if it lapses without"
            + " an end (that server stopped)",
        id,
        lease.owner(),
        seconds(Duration.between(now, lease.expiresAt())),
        lease.expiresAt());
  }

  private static void logLapsed(String id, RunLease lease, Instant waitingSince, Instant now) {
    log.info(
        "run lease of execution={} held by {} lapsed at {} without being renewed{}; this server"
            + " takes the execution over (runs the agent unless its end was recorded)",
        id,
        lease.owner(),
        lease.expiresAt(),
        waitingSince == null
            ? ""
            : " after a wait of " + seconds(Duration.between(waitingSince, now)) + " s");
  }

  /** {@code duration} in seconds with one decimal, e.g. {@code 24.3}. */
  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f", Math.max(0, duration.toMillis()) / 1000.0);
  }

  private AgentOutput adopt(EagerRun run, ActivityExecutionContext context) {
    while (true) {
      try {
        return run.result().get(heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        heartbeat(run, context);
      } catch (ExecutionException ended) {
        throw failureOf(ended.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        run.stop(new StopRequest(EagerRuns.RUN_STOPPED, "the agent activity was interrupted"));
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for the agent", EagerRuns.RUN_STOPPED);
      }
    }
  }

  /**
   * Heartbeats Temporal; on its cancellation stops the run, waits for it, and rethrows. When this
   * attempt is gone (timed out, so Temporal retries it) the run goes on: the retry adopts it, and
   * it records and delivers its end itself.
   */
  private static void heartbeat(EagerRun run, ActivityExecutionContext context) {
    try {
      context.heartbeat(run.progress());
    } catch (ActivityCompletionException cancelled) {
      if (AttemptRuns.isGone(cancelled)) {
        throw cancelled;
      }
      run.stop(new StopRequest(EagerRuns.RUN_STOPPED, "the execution was cancelled"));
      try {
        run.result().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // Stopped, as asked: the workflow records the cancellation.
      }
      throw cancelled;
    }
  }

  /** What the activity throws for a run that ended with {@code cause}. */
  private static RuntimeException failureOf(Throwable cause) {
    if (cause instanceof AgentCancelledException cancelled) {
      Optional<StopRequest> stop = AgentRun.stopRequest(cancelled);
      if (stop.isPresent() && EagerRuns.RUN_STOPPED.equals(stop.get().errorType())) {
        // Not an end: a retry of the activity runs the agent, or finds the end recorded.
        return ApplicationFailure.newFailure(stop.get().reason(), EagerRuns.RUN_STOPPED);
      }
    }
    if (cause instanceof RuntimeException e) {
      return AgentActivitiesImpl.activityFailure(e);
    }
    return ApplicationFailure.newFailure(String.valueOf(cause), EagerRuns.RUN_STOPPED);
  }

  /** The execution's lease, live or lapsed; none when it cannot be read (the agent runs here). */
  private Optional<RunLease> lease(String executionId) {
    try {
      return store.lease(executionId);
    } catch (RuntimeException e) {
      log.warn("cannot read the run lease of execution={}: {}", executionId, e.toString());
      return Optional.empty();
    }
  }

  private boolean ended(String executionId) {
    try {
      return store.find(executionId).map(e -> e.phase().isTerminal()).orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting for the agent's run", EagerRuns.RUN_STOPPED);
    }
  }
}
