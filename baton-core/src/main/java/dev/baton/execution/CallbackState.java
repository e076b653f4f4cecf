package dev.baton.execution;

/** Where the delivery of an execution's outcome to its caller stands. */
public enum CallbackState {
  /** The execution has no callback token: nobody waits for it. */
  NONE,
  /** The agent is still running or delivery has not succeeded yet. */
  PENDING,
  DELIVERED,
  /** Temporal answered NOT_FOUND: the caller timed out, was cancelled or already has a result. */
  CALLER_GONE,
  /** Delivery failed for good, for example because the token is invalid. */
  FAILED;

  public boolean isFinal() {
    return this != PENDING;
  }
}
