package dev.baton.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackStatus;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionMetadata;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ExecutionStatus;
import dev.baton.execution.CallbackState;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.CreateExecution;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.InvalidRequestException;
import dev.baton.execution.OnCallerGone;
import java.time.Duration;
import java.time.Instant;

/** Maps executions between the baton.v1 protobuf contract and the domain. Never maps tokens out. */
final class ExecutionProtoMapper {
  private ExecutionProtoMapper() {}

  static CreateExecution toDomain(CreateExecutionRequest request) {
    ExecutionSpec spec = request.getSpec();
    return new CreateExecution(
        spec.getAgent(),
        spec.getMessage(),
        spec.getCallbackToken().toByteArray(),
        spec.hasCaller() ? caller(spec.getCaller()) : null,
        spec.hasTimeout() ? duration("spec.timeout", spec.getTimeout()) : null,
        spec.hasCallerHeartbeatTimeout()
            ? duration("spec.caller_heartbeat_timeout", spec.getCallerHeartbeatTimeout())
            : null,
        onCallerGone(spec.getOnCallerGone()),
        request.getLabelsMap(),
        request.getRequestId().isEmpty() ? null : request.getRequestId(),
        spec.getPreviousExecutionId().isEmpty() ? null : spec.getPreviousExecutionId());
  }

  static AgentExecution toProto(Execution execution) {
    return AgentExecution.newBuilder()
        .setMetadata(
            ExecutionMetadata.newBuilder()
                .setId(execution.id())
                .setCreateTime(timestamp(execution.createTime()))
                .putAllLabels(execution.labels())
                .setSequence(execution.sequence()))
        .setSpec(spec(execution))
        .setStatus(status(execution.status()))
        .build();
  }

  static ExecutionPhase phase(dev.baton.api.v1.ExecutionPhase phase) {
    return switch (phase) {
      case PENDING -> ExecutionPhase.PENDING;
      case IN_PROGRESS -> ExecutionPhase.IN_PROGRESS;
      case COMPLETED -> ExecutionPhase.COMPLETED;
      case FAILED -> ExecutionPhase.FAILED;
      case CANCELLED -> ExecutionPhase.CANCELLED;
      default ->
          throw new InvalidRequestException(
              "phases",
              "expected PENDING, IN_PROGRESS, COMPLETED, FAILED or CANCELLED, got " + phase);
    };
  }

  static dev.baton.api.v1.OnCallerGone onCallerGone(OnCallerGone value) {
    return value == OnCallerGone.CONTINUE
        ? dev.baton.api.v1.OnCallerGone.ON_CALLER_GONE_CONTINUE
        : dev.baton.api.v1.OnCallerGone.ON_CALLER_GONE_CANCEL;
  }

  static com.google.protobuf.Duration duration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }

  private static ExecutionSpec spec(Execution execution) {
    var spec = execution.spec();
    ExecutionSpec.Builder builder =
        ExecutionSpec.newBuilder()
            .setAgent(spec.agent())
            .setMessage(spec.message())
            .setTimeout(duration(spec.timeout()))
            .setOnCallerGone(onCallerGone(spec.onCallerGone()));
    if (spec.caller() != null) {
      CallerIdentity caller = spec.caller();
      builder.setCaller(
          dev.baton.api.v1.CallerIdentity.newBuilder()
              .setNamespace(caller.namespace())
              .setWorkflowId(caller.workflowId())
              .setRunId(caller.runId())
              .setActivityId(caller.activityId())
              .setAttempt(caller.attempt()));
    }
    if (spec.previousExecutionId() != null) {
      builder.setPreviousExecutionId(spec.previousExecutionId());
    }
    if (spec.callerHeartbeatTimeout() != null) {
      builder.setCallerHeartbeatTimeout(duration(spec.callerHeartbeatTimeout()));
    }
    return builder.build();
  }

  private static ExecutionStatus status(dev.baton.execution.ExecutionStatus status) {
    ExecutionStatus.Builder builder =
        ExecutionStatus.newBuilder()
            .setPhase(dev.baton.api.v1.ExecutionPhase.valueOf(status.phase().name()))
            .setCallback(callback(status.callback()));
    if (status.output() != null) {
      builder.setOutput(status.output());
    }
    if (status.structuredOutput() != null) {
      builder.setStructuredOutput(struct(status.structuredOutput()));
    }
    if (status.error() != null) {
      builder.setError(
          dev.baton.api.v1.ExecutionError.newBuilder()
              .setType(status.error().type())
              .setMessage(status.error().message()));
    }
    if (status.startTime() != null) {
      builder.setStartTime(timestamp(status.startTime()));
    }
    if (status.endTime() != null) {
      builder.setEndTime(timestamp(status.endTime()));
    }
    return builder.build();
  }

  private static CallbackStatus callback(dev.baton.execution.CallbackStatus callback) {
    CallbackStatus.Builder builder =
        CallbackStatus.newBuilder()
            .setState(callbackState(callback.state()))
            .setAttempts(callback.attempts());
    if (callback.lastError() != null) {
      builder.setLastError(callback.lastError());
    }
    if (callback.deliveredTime() != null) {
      builder.setDeliveredTime(timestamp(callback.deliveredTime()));
    }
    if (callback.tokenFingerprint() != null) {
      builder.setTokenFingerprint(callback.tokenFingerprint());
    }
    return builder.build();
  }

  private static dev.baton.api.v1.CallbackState callbackState(CallbackState state) {
    return switch (state) {
      case NONE -> dev.baton.api.v1.CallbackState.NONE;
      case PENDING -> dev.baton.api.v1.CallbackState.CALLBACK_PENDING;
      case DELIVERED -> dev.baton.api.v1.CallbackState.DELIVERED;
      case CALLER_GONE -> dev.baton.api.v1.CallbackState.CALLER_GONE;
      case FAILED -> dev.baton.api.v1.CallbackState.CALLBACK_FAILED;
    };
  }

  private static CallerIdentity caller(dev.baton.api.v1.CallerIdentity caller) {
    return new CallerIdentity(
        caller.getNamespace(),
        caller.getWorkflowId(),
        caller.getRunId(),
        caller.getActivityId(),
        caller.getAttempt());
  }

  private static OnCallerGone onCallerGone(dev.baton.api.v1.OnCallerGone value) {
    return switch (value) {
      case ON_CALLER_GONE_CANCEL -> OnCallerGone.CANCEL;
      case ON_CALLER_GONE_CONTINUE -> OnCallerGone.CONTINUE;
      default -> null;
    };
  }

  /** The largest seconds of a google.protobuf.Duration (about 10,000 years). */
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

  private static Duration duration(String field, com.google.protobuf.Duration duration) {
    if (duration.getSeconds() < 0 || duration.getNanos() < 0) {
      throw new InvalidRequestException(field, "must be positive, got a negative duration");
    }
    // google.protobuf.Duration's own range; beyond it Duration.ofSeconds overflows (INTERNAL).
    if (duration.getSeconds() > MAX_DURATION_SECONDS || duration.getNanos() > 999_999_999) {
      throw new InvalidRequestException(
          field,
          "must be a valid duration (at most "
              + MAX_DURATION_SECONDS
              + " s, nanos below 10^9), got "
              + duration.getSeconds()
              + " s and "
              + duration.getNanos()
              + " ns");
    }
    return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
  }

  static com.google.protobuf.Timestamp timestamp(Instant instant) {
    return com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static Struct struct(String json) {
    Struct.Builder builder = Struct.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
      return builder.build();
    } catch (InvalidProtocolBufferException e) {
      // Only JSON objects map to a Struct; the text output still carries the answer.
      return Struct.getDefaultInstance();
    }
  }
}
