package dev.baton.server.grpc;

import dev.baton.api.v1.CompleteCallerRequest;
import dev.baton.api.v1.ExecutionDescription;
import dev.baton.api.v1.PendingActivity;
import dev.baton.callback.ManualOutcome;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionWorkflows;
import dev.baton.execution.InvalidRequestException;
import dev.baton.execution.WorkflowDescription;
import java.time.Instant;
import java.util.function.Consumer;

/** Maps the operator calls (Describe, CompleteCaller) between the proto contract and the domain. */
final class OperatorProtoMapper {
  private OperatorProtoMapper() {}

  static ExecutionDescription toProto(Execution execution, ExecutionWorkflows workflows) {
    ExecutionDescription.Builder description =
        ExecutionDescription.newBuilder()
            .setExecution(ExecutionProtoMapper.toProto(execution))
            .setWorkflow(workflow(workflows.workflow()));
    if (workflows.callbackWorkflow() != null) {
      description.setCallbackWorkflow(workflow(workflows.callbackWorkflow()));
    }
    if (workflows.callerWorkflow() != null) {
      description.setCallerWorkflow(workflow(workflows.callerWorkflow()));
    }
    return description.build();
  }

  static ManualOutcome outcome(CompleteCallerRequest request) {
    return switch (request.getOutcomeCase()) {
      case RESULT -> new ManualOutcome.Result(request.getResult());
      case FAILURE ->
          new ManualOutcome.Failure(
              request.getFailure().getErrorType().isEmpty()
                  ? ManualOutcome.DEFAULT_ERROR_TYPE
                  : request.getFailure().getErrorType(),
              request.getFailure().getMessage());
      case OUTCOME_NOT_SET ->
          throw new InvalidRequestException(
              "outcome", "set either result (complete the caller) or failure (fail it)");
    };
  }

  private static dev.baton.api.v1.WorkflowDescription workflow(WorkflowDescription workflow) {
    dev.baton.api.v1.WorkflowDescription.Builder proto =
        dev.baton.api.v1.WorkflowDescription.newBuilder()
            .setNamespace(workflow.namespace())
            .setWorkflowId(workflow.workflowId())
            .setStatus(workflow.status())
            .setHistoryLength(workflow.historyLength());
    setIfPresent(workflow.runId(), proto::setRunId);
    setIfPresent(workflow.taskQueue(), proto::setTaskQueue);
    setIfPresent(workflow.error(), proto::setError);
    setIfPresent(workflow.startTime(), t -> proto.setStartTime(ExecutionProtoMapper.timestamp(t)));
    setIfPresent(workflow.closeTime(), t -> proto.setCloseTime(ExecutionProtoMapper.timestamp(t)));
    workflow
        .pendingActivities()
        .forEach(activity -> proto.addPendingActivities(activity(activity)));
    return proto.build();
  }

  private static PendingActivity activity(WorkflowDescription.PendingActivity activity) {
    PendingActivity.Builder proto =
        PendingActivity.newBuilder()
            .setActivityId(activity.activityId())
            .setActivityType(activity.activityType())
            .setState(activity.state())
            .setAttempt(activity.attempt())
            .setMaximumAttempts(activity.maximumAttempts());
    setIfPresent(activity.scheduledTime(), t -> proto.setScheduledTime(timestamp(t)));
    setIfPresent(activity.lastStartedTime(), t -> proto.setLastStartedTime(timestamp(t)));
    setIfPresent(activity.lastHeartbeatTime(), t -> proto.setLastHeartbeatTime(timestamp(t)));
    setIfPresent(activity.lastHeartbeatDetails(), proto::setLastHeartbeatDetails);
    setIfPresent(activity.lastFailure(), proto::setLastFailure);
    setIfPresent(activity.lastWorkerIdentity(), proto::setLastWorkerIdentity);
    return proto.build();
  }

  private static com.google.protobuf.Timestamp timestamp(Instant instant) {
    return ExecutionProtoMapper.timestamp(instant);
  }

  private static <T> void setIfPresent(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
