package dev.baton.cli.status;

import dev.baton.api.v1.SummarizeRequest;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.output.SummaryPrinter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton status}: the state of callbacks, from the API. */
@Command(
    name = "status",
    description =
        "Show callbacks pending by age, callback outcomes in the last hour, and the oldest"
            + " executions still waiting to reach their callers.")
public final class StatusCommand implements Callable<Integer> {

  @Mixin private ClientOptions client;

  @Option(
      names = "--oldest",
      defaultValue = "10",
      description = "How many of the oldest pending executions to show, 0-100 (default 10).")
  private int oldest;

  @Override
  public Integer call() {
    return client.run(
        connection -> {
          new SummaryPrinter(client.out(), client.output())
              .summary(
                  connection
                      .executions()
                      .summarize(SummarizeRequest.newBuilder().setOldestLimit(oldest).build()));
          return ExitCodes.OK;
        });
  }
}
