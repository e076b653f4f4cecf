package dev.baton.cli.exec;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.BatonClient;
import dev.baton.cli.client.ClientOptions;
import dev.baton.cli.client.CommandFailure;
import dev.baton.cli.output.ExecutionPrinter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code baton exec list}: executions, newest first, one page or all of them. */
@Command(name = "list", description = "List executions, newest first.", sortOptions = false)
final class ExecListCommand implements Callable<Integer> {

  private static final int MAX_PAGE_SIZE = 1000;

  @Mixin private ClientOptions client;

  @Option(
      names = {"-p", "--phase"},
      paramLabel = "PHASE",
      split = ",",
      converter = PhaseConverter.class,
      description =
          "Only executions in this phase: pending, in_progress, completed, failed, cancelled."
              + " Repeat or separate with commas for several.")
  private List<ExecutionPhase> phases;

  @Option(
      names = {"-a", "--agent"},
      paramLabel = "NAME",
      description = "Only executions of this agent.")
  private String agent;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description =
          "Only executions carrying this label; repeat for several, all of which must match."
              + " Without --agent or --phase the server reads executions newest first until a"
              + " page is full, so a rare label over a long history is slower.")
  private List<String> labels;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N executions per page, 1..1000 (default: the server's, 50).")
  private Integer limit;

  @Option(
      names = "--page-token",
      paramLabel = "TOKEN",
      description = "Start at this page, as printed by the previous list.")
  private String pageToken;

  @Option(names = "--all", description = "Fetch every page, not just the first.")
  private boolean all;

  @Override
  public Integer call() {
    if (limit != null && (limit < 1 || limit > MAX_PAGE_SIZE)) {
      throw client.usageError(
          "--limit must be between 1 and " + MAX_PAGE_SIZE + " but was " + limit);
    }
    ListExecutionsRequest first = firstRequest();
    return client.run(
        connection -> {
          ExecutionPrinter printer = new ExecutionPrinter(client.out(), client.output());
          if (!all) {
            ListExecutionsResponse page = connection.executions().list(first);
            printer.list(page.getExecutionsList(), page.getNextPageToken());
          } else {
            printer.list(everyPage(connection, first), "");
          }
          return ExitCodes.OK;
        });
  }

  private ListExecutionsRequest firstRequest() {
    ListExecutionsRequest.Builder request = ListExecutionsRequest.newBuilder();
    if (phases != null) {
      request.addAllPhases(phases);
    }
    if (agent != null) {
      request.setAgent(agent);
    }
    if (labels != null) {
      request.putAllLabels(LabelArguments.byKey(labels, client));
    }
    if (limit != null) {
      request.setPageSize(limit);
    }
    if (pageToken != null) {
      request.setPageToken(pageToken);
    }
    return request.build();
  }

  private static List<AgentExecution> everyPage(BatonClient client, ListExecutionsRequest first) {
    List<AgentExecution> executions = new ArrayList<>();
    Set<String> seenTokens = new HashSet<>();
    ListExecutionsRequest request = first;
    while (true) {
      ListExecutionsResponse page = client.executions().list(request);
      executions.addAll(page.getExecutionsList());
      String next = page.getNextPageToken();
      if (next.isEmpty()) {
        return executions;
      }
      if (!seenTokens.add(next)) {
        throw new CommandFailure(
            ExitCodes.ERROR, "the server returned page token " + next + " twice; stopped listing");
      }
      request = request.toBuilder().setPageToken(next).build();
    }
  }
}
