package dev.baton.agent;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-runner activity's runs on this server, by execution: a retried attempt takes over the
 * run of an earlier attempt that is still going instead of running the agent a second time beside
 * it.
 *
 * <p>Temporal retries an attempt whose heartbeats stopped reaching it for the heartbeat timeout; on
 * a starved machine that happens to runners that are alive and whose agents still run (the
 * benchmark's 10,000 pending calls on two cores did it). Without a handover the retry started the
 * agent again while the first run went on, and both recorded and delivered the end.
 *
 * <ul>
 *   <li>A run whose attempt is gone (Temporal answers its heartbeat NOT_FOUND, or the SDK timed it
 *       out locally) goes on for the handover wait; a retry on this server within it takes the run
 *       over: it heartbeats Temporal for the run and reports the run's outcome, which the run
 *       recorded and delivered itself. A run nobody takes over stops at its runner's next
 *       heartbeat, and a later attempt runs the agent again.
 *   <li>Temporal's cancellation of the attempt that holds the run stops the run, as before.
 *   <li>A retry on another server does not see this run: the agent may run there too, beside this
 *       run until the handover wait ends it. The server waits as long as Temporal waits for a
 *       silent runner (the heartbeat timeout): a shorter wait would stop runs whose retry is on its
 *       way here, a longer one lengthen the overlap with a retry elsewhere.
 * </ul>
 */
public final class AttemptRuns {
  private static final Logger log = LoggerFactory.getLogger(AttemptRuns.class);

  private final Map<String, AttemptRun> runs = new ConcurrentHashMap<>();
  private final Duration handoverWait;
  private final Duration heartbeatEvery;

  /**
   * @param handoverWait how long a run whose attempt is gone goes on, waiting for a retry
   * @param heartbeatEvery how often an attempt that took a run over heartbeats Temporal
   */
  public AttemptRuns(Duration handoverWait, Duration heartbeatEvery) {
    this.handoverWait = Objects.requireNonNull(handoverWait, "handoverWait");
    this.heartbeatEvery = Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
  }

  /**
   * The agent activity that takes over this server's run of the execution when there is one, else
   * runs {@code next} as the execution's run. {@code next} heartbeats through {@link #beat}.
   */
  public AgentActivities around(AgentActivities next) {
    Objects.requireNonNull(next, "next");
    return invocation -> run(invocation, next);
  }

  private AgentOutput run(AgentInvocation invocation, AgentActivities next) {
    String id = invocation.executionId();
    ActivityExecutionContext context = Activity.getExecutionContext();
    while (true) {
      AttemptRun earlier = runs.get(id);
      if (earlier != null) {
        if (earlier.handOver()) {
          log.info(
              "agent activity attempt={} takes over the run of execution={}",
              context.getInfo().getAttempt(),
              id);
          AgentOutput output = takeOver(earlier, context);
          if (output != null) {
            return output;
          }
        } else {
          awaitEnd(earlier);
        }
        // The earlier run stopped without an outcome of the agent: this attempt runs it.
        continue;
      }
      AttemptRun run = new AttemptRun();
      if (runs.putIfAbsent(id, run) == null) {
        return runAsOwner(id, run, invocation, next);
      }
    }
  }

  private AgentOutput runAsOwner(
      String id, AttemptRun run, AgentInvocation invocation, AgentActivities next) {
    AgentOutput output;
    try {
      output = next.run(invocation);
    } catch (RuntimeException | Error e) {
      // Removed before its end is known, so that an attempt that sees the end finds no run.
      runs.remove(id, run);
      run.result().completeExceptionally(e);
      throw e;
    }
    runs.remove(id, run);
    run.result().complete(output);
    return output;
  }

  /**
   * Waits for the run's outcome, heartbeating Temporal with the run's progress.
   *
   * @return the run's output; null when it stopped without an outcome of the agent (its attempt was
   *     gone, or nobody took it over in time), so this attempt runs the agent
   */
  private AgentOutput takeOver(AttemptRun run, ActivityExecutionContext context) {
    while (true) {
      try {
        return run.result().get(heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        heartbeatFor(run, context);
      } catch (ExecutionException ended) {
        Throwable cause = ended.getCause();
        if (cause instanceof ActivityCompletionException) {
          // Its attempt ended it (gone while waiting for a slot, say): the agent did not end.
          return null;
        }
        throw cause instanceof RuntimeException e ? e : new IllegalStateException(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for the agent's run", "AgentRunWaitInterrupted");
      }
    }
  }

  /**
   * Heartbeats Temporal for the run taken over. When this attempt is gone too, the run goes on for
   * the next retry; when Temporal cancelled it, the run stops and this attempt reports the
   * cancellation once it did.
   */
  private static void heartbeatFor(AttemptRun run, ActivityExecutionContext context) {
    try {
      context.heartbeat(run.progress());
    } catch (ActivityCompletionException e) {
      if (isGone(e)) {
        run.attemptGone();
      } else {
        run.cancel(e);
        awaitEnd(run);
      }
      throw e;
    }
  }

  /**
   * The heartbeat of the run of {@code invocation} on its owner's thread: reaches Temporal while
   * the run is its attempt's, tells a cancellation, and abandons a run whose attempt has been gone
   * for the handover wait.
   *
   * @throws AgentCancelledException the run must stop
   */
  void beat(AgentInvocation invocation, ActivityExecutionContext context, String progress) {
    AttemptRun run = runs.get(invocation.executionId());
    if (run == null) {
      heartbeat(context, progress);
      return;
    }
    run.progress(progress);
    if (run.cancellation() != null) {
      throw new AgentCancelledException("the execution was cancelled", run.cancellation());
    }
    if (!run.handedOver()) {
      try {
        context.heartbeat(progress);
        return;
      } catch (ActivityCompletionException e) {
        if (!isGone(e)) {
          throw new AgentCancelledException("the execution was cancelled", e);
        }
        if (run.attemptGone()) {
          log.info(
              "the agent activity attempt of execution={} is gone from Temporal ({}); its run goes"
                  + " on for up to {} for a retry to take it over",
              invocation.executionId(),
              e.getClass().getSimpleName(),
              handoverWait);
        }
      }
    }
    if (run.abandonIfGoneFor(handoverWait)) {
      log.warn(
          "stopping the agent of execution={}: its activity attempt has been gone for {} and no"
              + " retry took the run over",
          invocation.executionId(),
          handoverWait);
      throw new AgentCancelledException(
          "its agent activity attempt is gone and no retry took the run over", null);
    }
  }

  /** A heartbeat of a run that is not registered: any end of the attempt stops it. */
  static void heartbeat(ActivityExecutionContext context, String progress) {
    try {
      context.heartbeat(progress);
    } catch (ActivityCompletionException e) {
      throw new AgentCancelledException("the execution was cancelled", e);
    }
  }

  /**
   * Whether the attempt is gone from Temporal without a cancellation: timed out (Temporal answers
   * NOT_FOUND, or the SDK saw the heartbeat timeout pass), so Temporal retries it.
   */
  public static boolean isGone(ActivityCompletionException e) {
    return e instanceof ActivityNotExistsException
        || (e instanceof ActivityCanceledException && e.getCause() instanceof TimeoutFailure);
  }

  private static void awaitEnd(AttemptRun run) {
    try {
      run.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure(
          "interrupted while waiting for the agent's run to stop", "AgentRunWaitInterrupted");
    } catch (ExecutionException ended) {
      // Ended: the caller goes on.
    }
  }
}
