package dev.baton.execution;

import java.time.Instant;
import java.util.List;

/**
 * One workflow as Temporal describes it, for operators.
 *
 * @param runId the latest run's id, or {@code null} when not found
 * @param status Temporal's status without its prefix ({@code RUNNING}, {@code COMPLETED}, {@code
 *     TERMINATED}, ...), {@link #NOT_FOUND}, or {@link #UNKNOWN} when Temporal could not be asked
 * @param error why Temporal could not be asked, or {@code null}
 */
public record WorkflowDescription(
    String namespace,
    String workflowId,
    String runId,
    String status,
    String taskQueue,
    Instant startTime,
    Instant closeTime,
    long historyLength,
    List<PendingActivity> pendingActivities,
    String error) {
  public static final String NOT_FOUND = "NOT_FOUND";
  public static final String UNKNOWN = "UNKNOWN";

  public WorkflowDescription {
    pendingActivities = List.copyOf(pendingActivities);
  }

  static WorkflowDescription notFound(String namespace, String workflowId) {
    return new WorkflowDescription(
        namespace, workflowId, null, NOT_FOUND, null, null, null, 0, List.of(), null);
  }

  static WorkflowDescription unknown(String namespace, String workflowId, String error) {
    return new WorkflowDescription(
        namespace, workflowId, null, UNKNOWN, null, null, null, 0, List.of(), error);
  }

  /**
   * An activity the workflow waits for.
   *
   * @param state {@code SCHEDULED}, {@code STARTED} or {@code CANCEL_REQUESTED}
   * @param maximumAttempts 0 for unlimited
   * @param lastHeartbeatDetails the last heartbeat's details as JSON, or {@code null}
   * @param lastFailure the last failed attempt's message, or {@code null}
   */
  public record PendingActivity(
      String activityId,
      String activityType,
      String state,
      int attempt,
      int maximumAttempts,
      Instant scheduledTime,
      Instant lastStartedTime,
      Instant lastHeartbeatTime,
      String lastHeartbeatDetails,
      String lastFailure,
      String lastWorkerIdentity) {}
}
