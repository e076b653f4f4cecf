package dev.baton.callback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The details of the {@code AgentExecutionFailed} application failure a caller receives when its
 * agent failed, timed out or was cancelled through Baton. Carried as the failure's first detail, as
 * JSON.
 *
 * @param errorType the execution's error type, e.g. {@code AgentFailed}, {@code AgentTimeout} or
 *     {@code Cancelled}
 * @param message the agent's error
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentExecutionFailure(
    String executionId, String agent, String errorType, String message) {

  /** The {@code ApplicationFailure} type callers match on. */
  public static final String TYPE = "AgentExecutionFailed";
}
