package dev.baton.examples;

/** Runs {@link SingleCallWorkflow} once and prints the agent's answer. Args: the text. */
public final class SingleCallExample {
  private SingleCallExample() {}

  public static void main(String[] args) {
    String text =
        args.length > 0
            ? String.join(" ", args)
            : "Baton runs AI agents as durable steps of Temporal workflows. No slot is held.";
    try (ExampleWorker worker = ExampleWorker.fromEnvironment()) {
      SingleCallWorkflow workflow = worker.newWorkflow(SingleCallWorkflow.class, "single-call");
      System.out.println(workflow.summarize(text));
    }
  }
}
