package dev.baton.cli.exec;

import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.ExecutionPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton exec watch ID}: follows an execution until it ends. */
@Command(
    name = "watch",
    description = {
      "Follow an execution until it ends.",
      // One string per paragraph: picocli starts every element on a line of its own.
      "Prints one line per update (time, sequence, phase) and per progress event (indented:"
          + " '│' a log line, '⚙' a tool call, '»' the answer as it streams), then the output or"
          + " the error; on a terminal, a spinner line below.",
      "With -o json, one JSON object per line (events as {\"event\": {...}}).",
      "Exits with 4 when the execution ends FAILED or CANCELLED."
    })
final class ExecWatchCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution's id.")
  private String id;

  @Override
  public Integer call() {
    return client.run(
        connection ->
            ExecutionWatch.follow(
                connection,
                id,
                new ExecutionPrinter(client.out(), client.output(), System.console() != null)));
  }
}
