package dev.baton.callback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The details of the {@code AgentExecutionFailed} application failure a caller receives when its
 * agent failed or timed out. Carried as the failure's first detail, as JSON.
 *
 * @param errorType the execution's error type, e.g. {@code AgentFailed} or {@code AgentTimeout}
 * @param message the agent's error
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentExecutionFailure(
    String executionId, String agent, String errorType, String message) {

  /** The {@code ApplicationFailure} type callers match on. */
  public static final String TYPE = "AgentExecutionFailed";
}
