package dev.baton.cli.exec;

import dev.baton.api.v1.DescribeExecutionRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.DescriptionPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton exec describe ID}: the execution and its workflows as Temporal sees them. */
@Command(
    name = "describe",
    description = {
      "Show one execution and what Temporal knows of it: the workflow agent-execution/ID (status,"
          + " run, pending activities with attempt, last heartbeat and last failure), the"
          + " redelivery workflow agent-callback/ID/FINGERPRINT, and the caller's workflow with"
          + " its waiting activity.",
      "Asks the server, which asks its Temporal: no Temporal CLI or token needed."
    })
final class ExecDescribeCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution's id.")
  private String id;

  @Override
  public Integer call() {
    return client.run(
        connection -> {
          new DescriptionPrinter(client.out(), client.output())
              .describe(
                  connection
                      .executions()
                      .describe(DescribeExecutionRequest.newBuilder().setId(id).build()));
          return ExitCodes.OK;
        });
  }
}
