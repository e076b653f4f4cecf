package dev.baton.callback;

/** How one completion RPC towards a caller's activity ended. */
public enum DeliveryResult {
  /** Temporal accepted the completion. */
  DELIVERED,
  /** NOT_FOUND: the caller timed out, was cancelled or terminated, or already has a result. */
  CALLER_GONE,
  /** Temporal refused the token or the request for good; retrying cannot help. */
  REJECTED,
  /** Temporal was unreachable, overloaded or too slow; the same RPC may succeed later. */
  RETRYABLE
}
