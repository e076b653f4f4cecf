package dev.baton.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What an agent produced.
 *
 * @param output its final text
 * @param structuredOutput a JSON object, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentOutput(String output, String structuredOutput) {
  public static AgentOutput text(String output) {
    return new AgentOutput(output, null);
  }
}
