package dev.baton.execution;

/**
 * A Create repeated the caller identity or request id of an existing execution but asked for
 * something else: the key is taken, and the message says by which execution and what differs.
 */
public final class IdempotencyConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IdempotencyConflictException(String message) {
    super(message);
  }
}
