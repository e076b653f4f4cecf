package dev.baton.examples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/** Example 3: a call with a deadline, and a fallback when it fails or times out. */
@WorkflowInterface
public interface TimeoutFallbackWorkflow {

  /** What the workflow answers when both agents fail. */
  String DEFAULT_ANSWER = "No agent could answer in time; please try again later.";

  /**
   * Asks {@code agent}, giving it at most {@code timeout}. If it fails or times out, asks {@code
   * fallbackAgent}; if that fails too, returns {@link #DEFAULT_ANSWER}.
   */
  @WorkflowMethod
  String answer(String message, String agent, Duration timeout, String fallbackAgent);
}
