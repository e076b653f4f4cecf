package dev.baton.execution;

import java.time.Instant;
import java.util.Objects;

/** The terminal outcome of an agent run, as recorded by {@link ExecutionStore#finish}. */
public record Termination(
    ExecutionPhase phase,
    String output,
    String structuredOutput,
    ExecutionError error,
    Instant endTime) {

  public Termination {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(endTime, "endTime");
    if (!phase.isTerminal()) {
      throw new IllegalArgumentException("a termination needs a terminal phase, got " + phase);
    }
  }

  public static Termination completed(String output, String structuredOutput, Instant endTime) {
    return new Termination(ExecutionPhase.COMPLETED, output, structuredOutput, null, endTime);
  }

  public static Termination failed(ExecutionError error, Instant endTime) {
    return new Termination(ExecutionPhase.FAILED, null, null, error, endTime);
  }

  public static Termination cancelled(String reason, Instant endTime) {
    return new Termination(
        ExecutionPhase.CANCELLED,
        null,
        null,
        new ExecutionError(ExecutionError.CANCELLED, reason),
        endTime);
  }
}
