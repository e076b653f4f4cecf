package dev.baton.cli.output;

import dev.baton.api.v1.Agent;
import dev.baton.api.v1.ListAgentsResponse;
import java.io.PrintWriter;

/** Prints agents in the chosen {@link OutputFormat}. */
public final class AgentPrinter {

  private static final int DESCRIPTION_WIDTH = 80;

  private final PrintWriter out;
  private final OutputFormat format;

  /**
   * @param out where to print
   * @param format table or JSON
   */
  public AgentPrinter(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  /** One agent, every field. */
  public void detail(Agent agent) {
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.prettyWithZeros(agent, Agent.getDescriptor()));
      return;
    }
    Table.withColumns(2)
        .row("Name:", agent.getName())
        .row("Runner:", agent.getRunner())
        .row("Timeout:", agent.hasTimeout() ? Durations.format(agent.getTimeout()) : Formats.NONE)
        .row("On caller gone:", ExecutionTexts.onCallerGone(agent.getOnCallerGone()))
        .row(
            "Max concurrent:",
            agent.getMaxConcurrent() == 0
                ? "the server's default (--max-concurrent-per-agent)"
                : Integer.toString(agent.getMaxConcurrent()))
        .row(
            "Description:",
            agent.getDescription().isBlank() ? Formats.NONE : agent.getDescription())
        .print(out);
  }

  /** The agents a server can run. */
  public void list(ListAgentsResponse response) {
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.pretty(response));
      return;
    }
    if (response.getAgentsCount() == 0) {
      out.println("No agents.");
      return;
    }
    Table table = Table.withHeaders("NAME", "RUNNER", "TIMEOUT", "DESCRIPTION");
    for (Agent agent : response.getAgentsList()) {
      table.row(
          agent.getName(),
          agent.getRunner(),
          agent.hasTimeout() ? Durations.format(agent.getTimeout()) : Formats.NONE,
          Formats.oneLine(agent.getDescription(), DESCRIPTION_WIDTH));
    }
    table.print(out);
  }
}
