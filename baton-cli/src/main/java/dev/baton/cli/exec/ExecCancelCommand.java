package dev.baton.cli.exec;

import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.ExecutionPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code baton exec cancel ID}: asks the server to stop an execution. Cancelling a finished
 * execution succeeds and leaves it unchanged.
 */
@Command(
    name = "cancel",
    description = {
      "Cancel an execution: its agent is stopped and its caller is told.",
      "Cancelling a finished execution changes nothing and succeeds."
    })
final class ExecCancelCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution's id.")
  private String id;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why, recorded with the cancellation.")
  private String reason;

  @Override
  public Integer call() {
    CancelExecutionRequest.Builder request = CancelExecutionRequest.newBuilder().setId(id);
    if (reason != null) {
      request.setReason(reason);
    }
    return client.run(
        connection -> {
          new ExecutionPrinter(client.out(), client.output())
              .summary(connection.executions().cancel(request.build()));
          return ExitCodes.OK;
        });
  }
}
