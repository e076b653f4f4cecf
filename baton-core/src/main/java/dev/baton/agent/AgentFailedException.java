package dev.baton.agent;

import java.util.Objects;

/** The agent failed: the execution ends FAILED with this error type and message. Not retried. */
public final class AgentFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;

  public AgentFailedException(String type, String message) {
    super(message);
    this.type = Objects.requireNonNull(type, "type");
  }

  /** A stable kind, e.g. {@link dev.baton.execution.ExecutionError#AGENT_FAILED}. */
  public String type() {
    return type;
  }
}
