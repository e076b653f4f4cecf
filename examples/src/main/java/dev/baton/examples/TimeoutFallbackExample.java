package dev.baton.examples;

import java.time.Duration;

/**
 * Runs {@link TimeoutFallbackWorkflow}: gives {@code summarize} (which thinks for a second) only
 * half a second, so it times out and {@code shout} answers instead. Args: the text.
 */
public final class TimeoutFallbackExample {
  private TimeoutFallbackExample() {}

  public static void main(String[] args) {
    String text = args.length > 0 ? String.join(" ", args) : "Is anyone there?";
    try (ExampleWorker worker = ExampleWorker.fromEnvironment()) {
      TimeoutFallbackWorkflow workflow =
          worker.newWorkflow(TimeoutFallbackWorkflow.class, "timeout-fallback");
      System.out.println(workflow.answer(text, "summarize", Duration.ofMillis(500), "shout"));
    }
  }
}
