package dev.baton.cli.agent;

import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.AgentPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code baton agent list}: the agents the server can run. */
@Command(name = "list", description = "List the agents the server can run.")
final class AgentListCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Override
  public Integer call() {
    return client.run(
        connection -> {
          new AgentPrinter(client.out(), client.output())
              .list(connection.agents().list(ListAgentsRequest.getDefaultInstance()));
          return ExitCodes.OK;
        });
  }
}
