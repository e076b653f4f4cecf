package dev.baton.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * The delivery of an execution's outcome to its caller.
 *
 * @param attempts completion RPCs tried so far
 * @param lastError the last delivery error, or {@code null}
 * @param deliveredTime when the caller's activity was completed, or {@code null}
 * @param tokenFingerprint {@link CallbackToken#fingerprint()}, or {@code null} without a token
 */
public record CallbackStatus(
    CallbackState state,
    int attempts,
    String lastError,
    Instant deliveredTime,
    String tokenFingerprint) {

  public CallbackStatus {
    Objects.requireNonNull(state, "state");
  }

  public static CallbackStatus none() {
    return new CallbackStatus(CallbackState.NONE, 0, null, null, null);
  }

  public static CallbackStatus pending(String tokenFingerprint) {
    return new CallbackStatus(CallbackState.PENDING, 0, null, null, tokenFingerprint);
  }

  /** The token's fingerprint as log lines write it: {@code -} when there is no token. */
  public String loggedFingerprint() {
    return tokenFingerprint == null ? "-" : tokenFingerprint;
  }
}
