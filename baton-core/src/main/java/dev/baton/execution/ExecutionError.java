package dev.baton.execution;

import java.util.Objects;

/**
 * Why an execution failed or was cancelled.
 *
 * @param type a stable, machine-readable kind such as {@link #AGENT_FAILED}
 * @param message what happened, for people
 */
public record ExecutionError(String type, String message) {
  public static final String AGENT_FAILED = "AgentFailed";
  public static final String AGENT_TIMEOUT = "AgentTimeout";
  public static final String AGENT_NOT_RUNNABLE = "AgentNotRunnable";
  public static final String CANCELLED = "Cancelled";
  public static final String EXECUTION_LOST = "ExecutionLost";

  /** The caller's workflow cancelled the activity waiting for this execution. */
  public static final String CALLER_CANCELLED = "CallerCancelled";

  /** The caller's activity no longer exists, and the agent was stopped (on_caller_gone=cancel). */
  public static final String CALLER_GONE = "CallerGone";

  public ExecutionError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
  }
}
