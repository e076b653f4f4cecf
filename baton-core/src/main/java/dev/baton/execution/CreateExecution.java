package dev.baton.execution;

import java.time.Duration;
import java.util.Map;

/**
 * A request to run an agent, as received by the API, before validation.
 *
 * @param callbackToken the caller activity's task token, or {@code null}/empty for none
 * @param caller the waiting activity, or {@code null}
 * @param timeout the agent deadline, or {@code null} for the agent's default
 * @param callerHeartbeatTimeout the caller activity's heartbeat timeout, or {@code null}
 * @param onCallerGone or {@code null} for the agent's default
 * @param requestId an idempotency key for non-Temporal callers, or {@code null}
 * @param previousExecutionId the execution this one continues (a conversation), or {@code null}
 */
public record CreateExecution(
    String agent,
    String message,
    byte[] callbackToken,
    CallerIdentity caller,
    Duration timeout,
    Duration callerHeartbeatTimeout,
    OnCallerGone onCallerGone,
    Map<String, String> labels,
    String requestId,
    String previousExecutionId) {

  public CreateExecution {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
