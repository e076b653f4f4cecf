package dev.baton.callback;

import java.util.Objects;

/**
 * The outcome of one completion or heartbeat RPC.
 *
 * @param error what went wrong, for people and for {@code status.callback.last_error}; {@code null}
 *     when delivered
 * @param errorKind a low-cardinality kind for metrics, {@code null} when delivered
 */
public record DeliveryAttempt(DeliveryResult result, String error, DeliveryErrorKind errorKind) {

  public DeliveryAttempt {
    Objects.requireNonNull(result, "result");
  }

  public static DeliveryAttempt delivered() {
    return new DeliveryAttempt(DeliveryResult.DELIVERED, null, null);
  }
}
