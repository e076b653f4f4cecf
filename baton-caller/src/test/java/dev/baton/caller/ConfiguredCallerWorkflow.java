package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** A caller that makes one agent call with the activity options a test chooses. */
@WorkflowInterface
public interface ConfiguredCallerWorkflow {

  @WorkflowMethod
  AgentResult call(AgentCall call, CallSettings settings);

  /**
   * The caller activity's options.
   *
   * @param heartbeatTimeout none when null
   * @param retryInterval the first backoff between attempts
   */
  record CallSettings(
      Duration startToClose,
      Duration heartbeatTimeout,
      int maximumAttempts,
      Duration retryInterval,
      ActivityCancellationType cancellationType) {

    /** One attempt, no heartbeat timeout, the SDK's default cancellation type. */
    static CallSettings oneAttempt(Duration startToClose) {
      return new CallSettings(
          startToClose, null, 1, Duration.ofSeconds(1), ActivityCancellationType.TRY_CANCEL);
    }

    CallSettings withHeartbeatTimeout(Duration value) {
      return new CallSettings(
          startToClose, value, maximumAttempts, retryInterval, cancellationType);
    }

    CallSettings withRetries(int attempts, Duration interval) {
      return new CallSettings(startToClose, heartbeatTimeout, attempts, interval, cancellationType);
    }

    CallSettings withCancellationType(ActivityCancellationType value) {
      return new CallSettings(
          startToClose, heartbeatTimeout, maximumAttempts, retryInterval, value);
    }
  }
}
