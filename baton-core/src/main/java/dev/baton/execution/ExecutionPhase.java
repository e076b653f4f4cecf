package dev.baton.execution;

/** Lifecycle of an execution. Status only moves forward; a terminal phase never changes. */
public enum ExecutionPhase {
  PENDING,
  IN_PROGRESS,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** Whether a status in this phase may be replaced by one in {@code next}. */
  public boolean canMoveTo(ExecutionPhase next) {
    return !isTerminal() && next.ordinal() > ordinal();
  }
}
