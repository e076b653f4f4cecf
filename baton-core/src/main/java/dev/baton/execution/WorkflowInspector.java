package dev.baton.execution;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Asks Temporal about an execution's workflows (DescribeWorkflowExecution, one RPC each with its
 * own deadline), for operators. Never fails for Temporal's sake: an unreachable Temporal shows as
 * {@link WorkflowDescription#UNKNOWN} with the reason.
 */
public final class WorkflowInspector {
  private static final String STATUS_PREFIX = "WORKFLOW_EXECUTION_STATUS_";
  private static final String ACTIVITY_STATE_PREFIX = "PENDING_ACTIVITY_STATE_";

  private final WorkflowServiceStubs service;
  private final String namespace;
  private final Duration rpcDeadline;

  /**
   * @param namespace the namespace of Baton's own workflows
   */
  public WorkflowInspector(WorkflowServiceStubs service, String namespace, Duration rpcDeadline) {
    this.service = service;
    this.namespace = namespace;
    this.rpcDeadline = rpcDeadline;
  }

  public ExecutionWorkflows describe(Execution execution) {
    String id = execution.id();
    WorkflowDescription workflow =
        describe(namespace, ExecutionIds.workflowId(id), null, activity -> true);
    String fingerprint = execution.status().callback().tokenFingerprint();
    WorkflowDescription callback =
        fingerprint == null
            ? null
            : describe(
                namespace, ExecutionIds.callbackWorkflowId(id, fingerprint), null, a -> true);
    CallerIdentity caller = execution.spec().caller();
    WorkflowDescription callerWorkflow =
        caller == null
            ? null
            : describe(
                caller.namespace() == null || caller.namespace().isBlank()
                    ? namespace
                    : caller.namespace(),
                caller.workflowId(),
                caller.runId(),
                activity -> activity.getActivityId().equals(caller.activityId()));
    return new ExecutionWorkflows(workflow, callback, callerWorkflow);
  }

  private WorkflowDescription describe(
      String inNamespace, String workflowId, String runId, Predicate<PendingActivityInfo> shown) {
    WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null && !runId.isBlank()) {
      execution.setRunId(runId);
    }
    DescribeWorkflowExecutionResponse response;
    try {
      response =
          service
              .blockingStub()
              .withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS)
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(inNamespace)
                      .setExecution(execution)
                      .build());
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      if (status.getCode() == Status.Code.NOT_FOUND) {
        return WorkflowDescription.notFound(inNamespace, workflowId);
      }
      return WorkflowDescription.unknown(
          inNamespace,
          workflowId,
          status.getCode()
              + (status.getDescription() == null ? "" : ": " + status.getDescription()));
    }
    WorkflowExecutionInfo info = response.getWorkflowExecutionInfo();
    return new WorkflowDescription(
        inNamespace,
        workflowId,
        info.getExecution().getRunId(),
        strip(info.getStatus().name(), STATUS_PREFIX),
        info.getTaskQueue(),
        info.hasStartTime() ? instant(info.getStartTime()) : null,
        info.hasCloseTime() ? instant(info.getCloseTime()) : null,
        info.getHistoryLength(),
        response.getPendingActivitiesList().stream()
            .filter(shown)
            .map(WorkflowInspector::activity)
            .toList(),
        null);
  }

  private static WorkflowDescription.PendingActivity activity(PendingActivityInfo info) {
    return new WorkflowDescription.PendingActivity(
        info.getActivityId(),
        info.getActivityType().getName(),
        strip(info.getState().name(), ACTIVITY_STATE_PREFIX),
        info.getAttempt(),
        info.getMaximumAttempts(),
        info.hasScheduledTime() ? instant(info.getScheduledTime()) : null,
        info.hasLastStartedTime() ? instant(info.getLastStartedTime()) : null,
        info.hasLastHeartbeatTime() ? instant(info.getLastHeartbeatTime()) : null,
        info.hasHeartbeatDetails() ? text(info.getHeartbeatDetails().getPayloadsList()) : null,
        info.hasLastFailure() ? info.getLastFailure().getMessage() : null,
        info.getLastWorkerIdentity().isEmpty() ? null : info.getLastWorkerIdentity());
  }

  /** Payloads as text: JSON ones verbatim, others by their encoding only. */
  private static String text(List<Payload> payloads) {
    return payloads.stream()
        .map(
            payload -> {
              String encoding =
                  payload
                      .getMetadataOrDefault("encoding", com.google.protobuf.ByteString.EMPTY)
                      .toStringUtf8();
              return encoding.startsWith("json/")
                  ? payload.getData().toString(StandardCharsets.UTF_8)
                  : "(" + (encoding.isEmpty() ? "binary" : encoding) + " payload)";
            })
        .collect(Collectors.joining(", "));
  }

  private static String strip(String name, String prefix) {
    return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
