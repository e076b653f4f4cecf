package dev.baton.cli.exec;

import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.ExecutionPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton exec get ID}: one execution in full. */
@Command(name = "get", description = "Show one execution, with its output in full.")
final class ExecGetCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "ID", description = "The execution's id.")
  private String id;

  @Override
  public Integer call() {
    return client.run(
        connection -> {
          new ExecutionPrinter(client.out(), client.output())
              .detail(
                  connection.executions().get(GetExecutionRequest.newBuilder().setId(id).build()));
          return ExitCodes.OK;
        });
  }
}
