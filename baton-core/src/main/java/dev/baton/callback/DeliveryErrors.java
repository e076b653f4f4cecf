package dev.baton.callback;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Classifies a failed completion RPC: final, or worth retrying. */
final class DeliveryErrors {
  private DeliveryErrors() {}

  static DeliveryAttempt classify(StatusRuntimeException e) {
    Status status = e.getStatus();
    String detail =
        status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    return switch (status.getCode()) {
      case NOT_FOUND ->
          new DeliveryAttempt(
              DeliveryResult.CALLER_GONE,
              "caller activity no longer exists (" + detail + ")",
              DeliveryErrorKind.NOT_FOUND);
      case INVALID_ARGUMENT, FAILED_PRECONDITION, PERMISSION_DENIED, UNAUTHENTICATED ->
          new DeliveryAttempt(
              DeliveryResult.REJECTED,
              "Temporal rejected the callback token (" + detail + ")",
              DeliveryErrorKind.INVALID_TOKEN);
      case DEADLINE_EXCEEDED ->
          new DeliveryAttempt(
              DeliveryResult.RETRYABLE,
              "Temporal did not answer in time (" + detail + ")",
              DeliveryErrorKind.DEADLINE);
      case UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED ->
          new DeliveryAttempt(
              DeliveryResult.RETRYABLE,
              "Temporal unavailable (" + detail + ")",
              DeliveryErrorKind.UNAVAILABLE);
      default ->
          new DeliveryAttempt(
              DeliveryResult.REJECTED,
              "completion failed (" + detail + ")",
              DeliveryErrorKind.UNKNOWN);
    };
  }
}
