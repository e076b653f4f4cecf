package dev.baton.caller;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.callback.AgentResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the activity's task token to Baton and returns without completing the activity; Baton
 * completes it when the agent ends. See {@link AgentCallActivities} for the contract.
 */
public final class AgentCallActivitiesImpl implements AgentCallActivities {
  /** Failure type when Baton refused the request; not retried. */
  public static final String REQUEST_REJECTED = "BatonRequestRejected";

  /** Failure type when Baton could not be reached; retried by the activity's retry policy. */
  public static final String UNAVAILABLE = "BatonUnavailable";

  private static final Logger log = LoggerFactory.getLogger(AgentCallActivitiesImpl.class);

  private final BatonClient baton;

  public AgentCallActivitiesImpl(BatonClient baton) {
    this.baton = baton;
  }

  @Override
  public AgentResult callAgent(AgentCall call) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    ActivityInfo info = context.getInfo();
    AgentExecution execution;
    try {
      execution = baton.create(request(call, info, context.getTaskToken()));
    } catch (StatusRuntimeException e) {
      throw failure(call, e);
    }
    log.info(
        "agent call handed to baton execution={} agent={} workflow={} activity={} attempt={}"
            + " token={}",
        execution.getMetadata().getId(),
        call.agent(),
        info.getWorkflowId(),
        info.getActivityId(),
        info.getAttempt(),
        execution.getStatus().getCallback().getTokenFingerprint());
    // Only now: a failed Create must fail the activity rather than leave it pending forever.
    context.doNotCompleteOnReturn();
    return null;
  }

  private static CreateExecutionRequest request(AgentCall call, ActivityInfo info, byte[] token) {
    ExecutionSpec.Builder spec =
        ExecutionSpec.newBuilder()
            .setAgent(call.agent())
            .setMessage(call.message())
            .setCallbackToken(ByteString.copyFrom(token))
            .setCaller(
                CallerIdentity.newBuilder()
                    .setNamespace(info.getNamespace())
                    .setWorkflowId(info.getWorkflowId())
                    .setRunId(info.getWorkflowRunId())
                    .setActivityId(info.getActivityId())
                    .setAttempt(info.getAttempt()));
    if (call.timeout() != null) {
      spec.setTimeout(protoDuration(call.timeout()));
    }
    if (call.previousExecutionId() != null) {
      spec.setPreviousExecutionId(call.previousExecutionId());
    }
    Duration heartbeatTimeout = info.getHeartbeatTimeout();
    if (heartbeatTimeout != null && !heartbeatTimeout.isZero()) {
      spec.setCallerHeartbeatTimeout(protoDuration(heartbeatTimeout));
    }
    return CreateExecutionRequest.newBuilder().setSpec(spec).putAllLabels(call.labels()).build();
  }

  /** The failure an attempt ends with when Create was refused: retryable only when it may pass. */
  static ApplicationFailure failure(AgentCall call, StatusRuntimeException e) {
    Status status = e.getStatus();
    String message =
        "baton refused to run agent '"
            + call.agent()
            + "': "
            + status.getCode()
            + (status.getDescription() == null ? "" : " " + status.getDescription());
    return switch (status.getCode()) {
      case INVALID_ARGUMENT,
          NOT_FOUND,
          ALREADY_EXISTS,
          FAILED_PRECONDITION,
          PERMISSION_DENIED,
          UNAUTHENTICATED ->
          ApplicationFailure.newNonRetryableFailure(message, REQUEST_REJECTED);
      // Rate limited: retry no sooner than the server asks (RetryInfo), else per the retry policy.
      case RESOURCE_EXHAUSTED -> {
        String limited =
            "baton limited the call of agent '"
                + call.agent()
                + "': "
                + (status.getDescription() == null
                    ? "RESOURCE_EXHAUSTED"
                    : status.getDescription());
        Duration delay = retryDelay(e);
        yield delay == null
            ? ApplicationFailure.newFailure(limited, UNAVAILABLE)
            : ApplicationFailure.newFailureWithCauseAndDelay(limited, UNAVAILABLE, null, delay);
      }
      default ->
          ApplicationFailure.newFailure(
              "baton unreachable while calling agent '"
                  + call.agent()
                  + "': "
                  + status.getCode()
                  + (status.getDescription() == null ? "" : " " + status.getDescription()),
              UNAVAILABLE);
    };
  }

  /** The delay of the status's {@code google.rpc.RetryInfo}, or null when it has none. */
  static Duration retryDelay(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details == null) {
      return null;
    }
    for (Any detail : details.getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
          return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
        } catch (InvalidProtocolBufferException ignored) {
          return null;
        }
      }
    }
    return null;
  }

  private static com.google.protobuf.Duration protoDuration(Duration duration) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
