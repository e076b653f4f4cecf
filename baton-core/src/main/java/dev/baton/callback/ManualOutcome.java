package dev.baton.callback;

import java.util.Objects;

/** What an operator delivers to a stuck caller by hand: a result, or a failure. */
public sealed interface ManualOutcome {

  /** The {@code errorType} of a manual failure when the operator names none. */
  String DEFAULT_ERROR_TYPE = "OperatorFailed";

  /** Completes the caller's activity with an {@link AgentResult} whose output is {@code output}. */
  record Result(String output) implements ManualOutcome {
    public Result {
      Objects.requireNonNull(output, "output");
    }
  }

  /** Fails the caller's activity as an agent failure would ({@code AgentExecutionFailed}). */
  record Failure(String errorType, String message) implements ManualOutcome {
    public Failure {
      Objects.requireNonNull(errorType, "errorType");
      Objects.requireNonNull(message, "message");
    }
  }
}
