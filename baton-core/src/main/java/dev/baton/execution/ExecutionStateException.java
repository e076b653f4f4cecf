package dev.baton.execution;

/**
 * The request is well formed but the execution is not in a state that allows it (e.g. its caller
 * already has its outcome); the message says what was found and what to do instead.
 */
public final class ExecutionStateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExecutionStateException(String message) {
    super(message);
  }
}
