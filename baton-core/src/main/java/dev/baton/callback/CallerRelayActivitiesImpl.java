package dev.baton.callback;

import dev.baton.agent.RunMonitor.Handle;
import dev.baton.agent.RunMonitor.StopRequest;
import dev.baton.execution.CallerRelayActivities;
import dev.baton.execution.WorkflowInspector;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link CallerRelayActivities} with this server's {@link CallerRelay}. The activity returns
 * at once without completing; the relay heartbeats it after each beat of the caller and completes
 * it when the relay ends, so no worker slot or thread is held while an external agent runs. When
 * this server dies the activity misses its heartbeats and Temporal retries it on another server.
 *
 * <p>The progress relayed is what the agent's worker last heartbeated (read from Temporal after
 * each beat, so one beat late), when that is a string.
 */
public final class CallerRelayActivitiesImpl implements CallerRelayActivities {
  private static final Logger log = LoggerFactory.getLogger(CallerRelayActivitiesImpl.class);

  private final CallerRelay relay;
  private final ActivityCompletionClient completions;
  private final WorkflowInspector inspector;

  /**
   * @param completions of Baton's own Temporal client (its data converter), not the callers'
   * @param inspector reads the agent's progress
   */
  public CallerRelayActivitiesImpl(
      CallerRelay relay, ActivityCompletionClient completions, WorkflowInspector inspector) {
    this.relay = relay;
    this.completions = completions;
    this.inspector = inspector;
  }

  @Override
  public StopRequest relayCaller(String executionId) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    byte[] token = context.getTaskToken();
    context.doNotCompleteOnReturn();
    ActivityListener listener = new ActivityListener(executionId, token);
    listener.handle = relay.open(executionId, listener);
    return null;
  }

  /** Heartbeats and completes the relay's own activity. */
  private final class ActivityListener implements CallerRelay.Listener {
    private final String executionId;
    private final byte[] token;

    /** The relay, once open: its first beat may come before. */
    private volatile Handle handle;

    ActivityListener(String executionId, byte[] token) {
      this.executionId = executionId;
      this.token = token;
    }

    @Override
    public boolean beaten(String progress) {
      try {
        completions.heartbeat(token, progress);
      } catch (ActivityCompletionException gone) {
        // The run ended and the workflow cancelled the relay, or Temporal timed it out and
        // retries it (maybe on another server): this relay is no longer wanted.
        return false;
      } catch (RuntimeException e) {
        log.warn(
            "relay activity heartbeat failed execution={} error={}", executionId, e.toString());
      }
      Handle relayed = handle;
      if (relayed != null) {
        inspector.agentProgress(executionId).ifPresent(relayed::progress);
      }
      return true;
    }

    @Override
    public void ended(StopRequest stop) {
      try {
        completions.complete(token, stop);
      } catch (ActivityCompletionException gone) {
        // The workflow no longer waits for this relay.
      } catch (RuntimeException e) {
        // Temporal times the activity out and retries it; the retry relays again.
        log.warn(
            "relay activity completion failed execution={} error={}", executionId, e.toString());
      }
    }
  }
}
