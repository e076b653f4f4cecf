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
    boolean waited = false;
    while (true) {
      Optional<EagerRun> local = runs.find(id);
      if (local.isPresent()) {
        return adopt(local.get(), context);
      }
      Optional<RunLease> lease = liveLease(id);
      if (lease.isEmpty() || (waited && ended(id))) {
        return next.run(invocation);
      }
      if (!waited) {
        log.info("agent activity waits for the run of execution={} on {}", id, lease.get().owner());
        waited = true;
      }
      sleep(heartbeatEvery);
      context.heartbeat("running on " + lease.get().owner());
    }
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

  /** The execution's lease if it is live; none when it cannot be read (the agent runs here). */
  private Optional<RunLease> liveLease(String executionId) {
    try {
      return store.lease(executionId).filter(lease -> lease.isLiveAt(clock.instant()));
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
