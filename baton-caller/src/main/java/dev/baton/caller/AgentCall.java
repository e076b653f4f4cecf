package dev.baton.caller;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a workflow asks of an agent: the input of {@link AgentCallActivities#callAgent}.
 *
 * @param timeout the agent's deadline, or {@code null} for the agent's default
 * @param labels free-form key/values stored with the execution (e.g. a ticket id)
 * @param previousExecutionId continue the conversation of this COMPLETED execution of the same
 *     agent (its {@code AgentResult.executionId()}), or {@code null} for a first turn
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentCall(
    String agent,
    String message,
    Duration timeout,
    Map<String, String> labels,
    String previousExecutionId) {

  public AgentCall {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(message, "message");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public AgentCall(String agent, String message, Duration timeout, Map<String, String> labels) {
    this(agent, message, timeout, labels, null);
  }

  public static AgentCall of(String agent, String message) {
    return new AgentCall(agent, message, null, Map.of(), null);
  }

  public AgentCall withTimeout(Duration value) {
    return new AgentCall(agent, message, value, labels, previousExecutionId);
  }

  /**
   * The next turn of a conversation: the agent receives the earlier turns (each message and output,
   * oldest first) before this message.
   */
  public AgentCall continuing(String executionId) {
    return new AgentCall(agent, message, timeout, labels, executionId);
  }
}
