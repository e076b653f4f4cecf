package dev.baton.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * Where an execution stands.
 *
 * @param output the agent's complete final output, or {@code null} before it ends
 * @param structuredOutput a JSON object the agent produced, or {@code null}
 * @param error why it failed or was cancelled, or {@code null}
 */
public record ExecutionStatus(
    ExecutionPhase phase,
    String output,
    String structuredOutput,
    ExecutionError error,
    Instant startTime,
    Instant endTime,
    CallbackStatus callback) {

  public ExecutionStatus {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(callback, "callback");
  }

  public static ExecutionStatus pending(CallbackStatus callback) {
    return new ExecutionStatus(ExecutionPhase.PENDING, null, null, null, null, null, callback);
  }

  public ExecutionStatus withCallback(CallbackStatus newCallback) {
    return new ExecutionStatus(
        phase, output, structuredOutput, error, startTime, endTime, newCallback);
  }
}
