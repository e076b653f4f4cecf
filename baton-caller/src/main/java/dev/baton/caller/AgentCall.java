package dev.baton.caller;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a workflow asks of an agent: the input of {@link AgentCallActivities#callAgent}.
 *
 * @param timeout the agent's deadline, or {@code null} for the agent's default
 * @param labels free-form key/values stored with the execution (e.g. a ticket id)
 */
public record AgentCall(
    String agent, String message, Duration timeout, Map<String, String> labels) {

  public AgentCall {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(message, "message");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public static AgentCall of(String agent, String message) {
    return new AgentCall(agent, message, null, Map.of());
  }

  public AgentCall withTimeout(Duration value) {
    return new AgentCall(agent, message, value, labels);
  }
}
