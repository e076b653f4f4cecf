package dev.baton.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
  private static final String RUN_AGENT = "RunAgent";
  private static final String JSON_PLAIN = "json/plain";
  private static final ObjectMapper JSON = new ObjectMapper();

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
      response = call(inNamespace, execution.build());
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

  /**
   * What the worker running the execution's agent last sent as its heartbeat details (an external
   * agent's progress), when that is one JSON string; empty when it is something else, or there is
   * no running agent activity, or Temporal cannot say now.
   */
  public Optional<String> agentProgress(String executionId) {
    DescribeWorkflowExecutionResponse response;
    try {
      response =
          call(
              namespace,
              WorkflowExecution.newBuilder()
                  .setWorkflowId(ExecutionIds.workflowId(executionId))
                  .build());
    } catch (StatusRuntimeException e) {
      return Optional.empty();
    }
    return response.getPendingActivitiesList().stream()
        .filter(activity -> RUN_AGENT.equals(activity.getActivityType().getName()))
        .filter(activity -> activity.getHeartbeatDetails().getPayloadsCount() == 1)
        .map(activity -> activity.getHeartbeatDetails().getPayloads(0))
        .filter(payload -> JSON_PLAIN.equals(encoding(payload)))
        .findFirst()
        .flatMap(WorkflowInspector::jsonString);
  }

  private DescribeWorkflowExecutionResponse call(String inNamespace, WorkflowExecution execution) {
    return service
        .blockingStub()
        .withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS)
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(inNamespace)
                .setExecution(execution)
                .build());
  }

  private static Optional<String> jsonString(Payload payload) {
    try {
      JsonNode value = JSON.readTree(payload.getData().toByteArray());
      return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String encoding(Payload payload) {
    return payload
        .getMetadataOrDefault("encoding", com.google.protobuf.ByteString.EMPTY)
        .toStringUtf8();
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
              String encoding = encoding(payload);
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
