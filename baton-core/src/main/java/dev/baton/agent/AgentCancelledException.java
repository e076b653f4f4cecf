package dev.baton.agent;

/** The execution was cancelled while the agent ran; the runner has stopped the agent. */
public final class AgentCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentCancelledException(String message, Throwable cause) {
    super(message, cause);
  }
}
