package dev.baton.examples;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Example 1: one agent call. */
@WorkflowInterface
public interface SingleCallWorkflow {

  /** Asks the {@code summarize} agent to summarise {@code text} and returns its answer. */
  @WorkflowMethod
  String summarize(String text);
}
