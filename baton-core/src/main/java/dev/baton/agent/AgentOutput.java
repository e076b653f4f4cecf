package dev.baton.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.baton.execution.CallbackState;

/**
 * What an agent produced.
 *
 * @param output its final text
 * @param structuredOutput a JSON object, or {@code null}
 * @param recordedCallback set when the runner's side already recorded the execution's end and tried
 *     to deliver it ({@link dev.baton.execution.RecordingAgentActivities}): the callback state that
 *     left. Null when the execution workflow must record the end, as for external runners.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentOutput(String output, String structuredOutput, CallbackState recordedCallback) {

  /** An output whose end the execution workflow records. */
  public AgentOutput(String output, String structuredOutput) {
    this(output, structuredOutput, null);
  }

  /** This output, marked as recorded with the callback state {@code callback}. */
  public AgentOutput recorded(CallbackState callback) {
    return new AgentOutput(output, structuredOutput, callback);
  }

  public static AgentOutput text(String output) {
    return new AgentOutput(output, null);
  }
}
