package dev.baton.callback;

import dev.baton.agent.EventRecorder;
import dev.baton.agent.RunMonitor.Handle;
import dev.baton.agent.RunMonitor.StopRequest;
import dev.baton.execution.CallerRelayActivities;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.WorkflowInspector;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link CallerRelayActivities}: follows an external agent's run from this server. The
 * activity returns at once without completing, so no worker slot or thread is held; then, every
 * {@link #FOLLOW_EVERY}, it heartbeats itself and reads the progress the agent's worker last
 * heartbeated (when that is a string): a new one is stored as a progress event (Watch streams it)
 * and becomes the details of the caller's heartbeats. Beside it, this server's {@link CallerRelay}
 * heartbeats the caller while its callback is pending, and completes the activity with the stop
 * when the caller cancels or is gone. The workflow cancels the activity once the run ended. When
 * this server dies the activity misses its heartbeats and Temporal retries it on another server.
 */
public final class CallerRelayActivitiesImpl implements CallerRelayActivities, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallerRelayActivitiesImpl.class);

  /** How often a run is followed: its relay activity's heartbeat, and a read of its progress. */
  public static final Duration FOLLOW_EVERY = Duration.ofSeconds(5);

  /** A longer progress text is cut, as the runners' own events are. */
  private static final int MAX_PROGRESS_CHARS = 1_000;

  private final CallerRelay relay;
  private final ActivityCompletionClient completions;
  private final WorkflowInspector inspector;
  private final EventRecorder events;
  private final Clock clock;
  private final Duration followEvery;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "baton-external-runs");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param completions of Baton's own Temporal client (its data converter), not the callers'
   * @param inspector reads the agent's progress
   * @param events where new progress is stored
   * @param followEvery how often each run is followed; under a third of the relay activity's
   *     heartbeat timeout
   */
  public CallerRelayActivitiesImpl(
      CallerRelay relay,
      ActivityCompletionClient completions,
      WorkflowInspector inspector,
      EventRecorder events,
      Clock clock,
      Duration followEvery) {
    this.relay = relay;
    this.completions = completions;
    this.inspector = inspector;
    this.events = events;
    this.clock = clock;
    this.followEvery = followEvery;
  }

  @Override
  public StopRequest relayCaller(String executionId) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    byte[] token = context.getTaskToken();
    context.doNotCompleteOnReturn();
    Follower follower = new Follower(executionId, token);
    follower.relay = relay.open(executionId, follower);
    follower.start();
    return null;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /** One external run as this server follows it. */
  private final class Follower implements CallerRelay.Listener {
    private final String executionId;
    private final byte[] token;
    private volatile Handle relay;
    private volatile boolean done;
    private ScheduledFuture<?> schedule; // guarded by this
    private String progress; // only on the scheduler's thread

    Follower(String executionId, byte[] token) {
      this.executionId = executionId;
      this.token = token;
    }

    synchronized void start() {
      if (!done) {
        long millis = followEvery.toMillis();
        schedule =
            scheduler.scheduleWithFixedDelay(this::followOnce, 0, millis, TimeUnit.MILLISECONDS);
      }
    }

    /** The relay beats the caller on its own; it goes on until this follower is done. */
    @Override
    public boolean wanted() {
      return !done;
    }

    /**
     * A stop ends the follower and completes its activity with the stop; without one only the
     * caller needs no more relaying, and the run's progress is followed on.
     */
    @Override
    public void ended(StopRequest stop) {
      if (stop == null || !finish()) {
        return;
      }
      try {
        completions.complete(token, stop);
      } catch (ActivityCompletionException gone) {
        // The run ended meanwhile: the workflow no longer waits for this activity.
      } catch (RuntimeException e) {
        // Temporal times the activity out and retries it; the retry relays the stop again.
        log.warn(
            "relay activity completion failed execution={} error={}", executionId, e.toString());
      }
    }

    private void followOnce() {
      try {
        completions.heartbeat(token, progress);
      } catch (ActivityCompletionException gone) {
        // The run ended and the workflow cancelled the activity, or Temporal timed it out and
        // retries it (maybe on another server): following is over here.
        if (finish()) {
          relay.close();
        }
        return;
      } catch (RuntimeException e) {
        log.warn(
            "relay activity heartbeat failed execution={} error={}", executionId, e.toString());
      }
      try {
        inspector.agentProgress(executionId).ifPresent(this::progressed);
      } catch (RuntimeException e) {
        log.warn(
            "external run progress not stored execution={} error={}", executionId, e.toString());
      }
    }

    private void progressed(String latest) {
      String text =
          latest.length() > MAX_PROGRESS_CHARS ? latest.substring(0, MAX_PROGRESS_CHARS) : latest;
      if (text.equals(progress)) {
        return;
      }
      progress = text;
      Handle current = relay;
      if (current != null) {
        current.progress(text);
      }
      events.append(
          executionId,
          List.of(ExecutionEvent.of(clock.instant(), ExecutionEvent.Type.LOG_LINE, text, null)));
    }

    /** Marks the follower done; false when it already was. */
    private synchronized boolean finish() {
      if (done) {
        return false;
      }
      done = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
      return true;
    }
  }
}
