package dev.baton.cli.agent;

import dev.baton.api.v1.GetAgentRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.AgentPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code baton agent get NAME}: one agent's definition as the server runs it. */
@Command(
    name = "get",
    description =
        "Show one agent: its runner, deadline, what happens when its caller is gone and how many"
            + " of it may run at once.")
final class AgentGetCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Parameters(paramLabel = "NAME", description = "The agent's name, as `agent list` shows it.")
  private String name;

  @Override
  public Integer call() {
    return client.run(
        connection -> {
          new AgentPrinter(client.out(), client.output())
              .detail(connection.agents().get(GetAgentRequest.newBuilder().setName(name).build()));
          return ExitCodes.OK;
        });
  }
}
