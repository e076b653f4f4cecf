package dev.baton.execution;

/**
 * How the agent run ended, as the workflow saw it.
 *
 * @param output the final text when COMPLETED
 * @param structuredOutput a JSON object when COMPLETED, or {@code null}
 * @param error why, when FAILED or CANCELLED
 */
public record AgentOutcome(
    ExecutionPhase phase, String output, String structuredOutput, ExecutionError error) {

  public static AgentOutcome completed(String output, String structuredOutput) {
    return new AgentOutcome(ExecutionPhase.COMPLETED, output, structuredOutput, null);
  }

  public static AgentOutcome failed(String type, String message) {
    return new AgentOutcome(ExecutionPhase.FAILED, null, null, new ExecutionError(type, message));
  }

  public static AgentOutcome cancelled(String reason) {
    return new AgentOutcome(
        ExecutionPhase.CANCELLED, null, null, new ExecutionError(ExecutionError.CANCELLED, reason));
  }
}
