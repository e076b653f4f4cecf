package dev.baton.callback;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCanceledRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends completions and heartbeats to a caller's activity with its task token.
 *
 * <p>Talks to Temporal's gRPC API directly rather than through the SDK's completion client: every
 * RPC has its own deadline and is never retried here (the SDK retries some errors, a malformed
 * token for about a minute); the caller of this class decides what to retry from the returned
 * {@link DeliveryAttempt}.
 */
public final class CallbackDelivery {
  private final WorkflowServiceStubs service;
  private final DataConverter converter;
  private final Duration rpcDeadline;
  private final String identity;

  public CallbackDelivery(
      WorkflowServiceStubs service,
      DataConverter converter,
      Duration rpcDeadline,
      String identity) {
    this.service = service;
    this.converter = converter;
    this.rpcDeadline = rpcDeadline;
    this.identity = identity;
  }

  /** Completes the caller's activity with the agent's result. */
  public DeliveryAttempt complete(String namespace, byte[] token, AgentResult result) {
    Optional<Payloads> payloads = converter.toPayloads(result);
    RespondActivityTaskCompletedRequest.Builder request =
        RespondActivityTaskCompletedRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskToken(ByteString.copyFrom(token))
            .setIdentity(identity);
    payloads.ifPresent(request::setResult);
    return call(() -> stub().respondActivityTaskCompleted(request.build()));
  }

  /**
   * Fails the caller's activity with a non-retryable {@code AgentExecutionFailed} application
   * failure carrying {@code failure} as its details.
   */
  public DeliveryAttempt fail(String namespace, byte[] token, AgentExecutionFailure failure) {
    ApplicationFailure applicationFailure =
        ApplicationFailure.newNonRetryableFailure(
            failure.message(), AgentExecutionFailure.TYPE, failure);
    RespondActivityTaskFailedRequest request =
        RespondActivityTaskFailedRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskToken(ByteString.copyFrom(token))
            .setIdentity(identity)
            .setFailure(converter.exceptionToFailure(applicationFailure))
            .build();
    return call(() -> stub().respondActivityTaskFailed(request));
  }

  /** Reports the caller's activity as cancelled. */
  public DeliveryAttempt cancel(String namespace, byte[] token, String reason) {
    RespondActivityTaskCanceledRequest.Builder request =
        RespondActivityTaskCanceledRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskToken(ByteString.copyFrom(token))
            .setIdentity(identity);
    converter.toPayloads(reason).ifPresent(request::setDetails);
    return call(() -> stub().respondActivityTaskCanceled(request.build()));
  }

  /**
   * Heartbeats the caller's activity with {@code progress} as details.
   *
   * @return the attempt, and whether the caller asked for cancellation
   */
  public HeartbeatAttempt heartbeat(String namespace, byte[] token, String progress) {
    RecordActivityTaskHeartbeatRequest.Builder request =
        RecordActivityTaskHeartbeatRequest.newBuilder()
            .setNamespace(namespace)
            .setTaskToken(ByteString.copyFrom(token))
            .setIdentity(identity);
    if (progress != null) {
      converter.toPayloads(progress).ifPresent(request::setDetails);
    }
    try {
      RecordActivityTaskHeartbeatResponse response =
          stub().recordActivityTaskHeartbeat(request.build());
      return new HeartbeatAttempt(DeliveryAttempt.delivered(), response.getCancelRequested());
    } catch (StatusRuntimeException e) {
      return new HeartbeatAttempt(DeliveryErrors.classify(e), false);
    }
  }

  private WorkflowServiceBlockingStub stub() {
    return service.blockingStub().withDeadlineAfter(rpcDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static DeliveryAttempt call(Runnable rpc) {
    try {
      rpc.run();
      return DeliveryAttempt.delivered();
    } catch (StatusRuntimeException e) {
      return DeliveryErrors.classify(e);
    }
  }
}
