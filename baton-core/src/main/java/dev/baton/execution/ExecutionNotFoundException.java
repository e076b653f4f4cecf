package dev.baton.execution;

/** No execution has the given id. */
public final class ExecutionNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExecutionNotFoundException(String id) {
    super("no execution with id " + id);
  }
}
