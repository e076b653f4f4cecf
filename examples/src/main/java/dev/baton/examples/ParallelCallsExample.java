package dev.baton.examples;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import java.util.List;

/**
 * Runs {@link ParallelCallsWorkflow}: the {@code summarize} and {@code shout} agents on the same
 * text, at once. Args: the text.
 */
public final class ParallelCallsExample {
  private ParallelCallsExample() {}

  public static void main(String[] args) {
    String text =
        args.length > 0
            ? String.join(" ", args)
            : "Two agents, one workflow. Both run while the caller's worker holds no slot.";
    try (ExampleWorker worker = ExampleWorker.fromEnvironment()) {
      ParallelCallsWorkflow workflow =
          worker.newWorkflow(ParallelCallsWorkflow.class, "parallel-calls");
      List<AgentResult> results =
          workflow.callAll(List.of(AgentCall.of("summarize", text), AgentCall.of("shout", text)));
      for (AgentResult result : results) {
        System.out.printf(
            "%s (execution %s, %d ms):%n%s%n",
            result.agent(), result.executionId(), result.durationMillis(), result.output().strip());
      }
    }
  }
}
