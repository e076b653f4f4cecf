package dev.baton.execution;

/** The execution was stored but could not be started or signalled now; retrying is safe. */
public final class ExecutionUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExecutionUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
