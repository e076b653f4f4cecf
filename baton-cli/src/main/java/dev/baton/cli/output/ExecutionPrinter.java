package dev.baton.cli.output;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionEvent;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.api.v1.WatchExecutionResponse;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints executions in the chosen {@link OutputFormat}. Tables are for people; JSON is the protobuf
 * JSON mapping, pretty for single results and one compact object per line for streams. Callback
 * tokens are never printed.
 */
public final class ExecutionPrinter {

  private static final int RESULT_WIDTH = 60;

  private final PrintWriter out;
  private final OutputFormat format;
  private final EventLines events;

  /**
   * @param out where to print
   * @param format table or JSON
   */
  public ExecutionPrinter(PrintWriter out, OutputFormat format) {
    this(out, format, false);
  }

  /**
   * @param out where to print
   * @param format table or JSON
   * @param terminal whether {@code out} is a terminal: watching then shows a spinner line
   */
  public ExecutionPrinter(PrintWriter out, OutputFormat format, boolean terminal) {
    this.out = out;
    this.format = format;
    this.events = new EventLines(out, terminal && format != OutputFormat.JSON);
  }

  /** One execution in short (id, agent, phase), e.g. after create or cancel. */
  public void summary(AgentExecution execution) {
    AgentExecution shown = Redaction.redact(execution);
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.pretty(shown));
      return;
    }
    Table.withHeaders("ID", "AGENT", "PHASE")
        .row(shown.getMetadata().getId(), shown.getSpec().getAgent(), ExecutionTexts.phase(shown))
        .print(out);
  }

  /**
   * A new execution followed by its updates: the summary table, or in JSON the first line of a
   * stream of one object per line.
   */
  public void createdThenUpdates(AgentExecution execution) {
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.line(Redaction.redact(execution)));
    } else {
      summary(execution);
    }
  }

  /** Everything about one execution, the output in full. */
  public void detail(AgentExecution execution) {
    AgentExecution shown = Redaction.redact(execution);
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.pretty(shown));
    } else {
      ExecutionDetail.print(shown, out);
    }
  }

  /**
   * A page of executions, results cut short in tables.
   *
   * @param nextPageToken the token of the following page, empty when there is none
   */
  public void list(List<AgentExecution> executions, String nextPageToken) {
    List<AgentExecution> shown = executions.stream().map(Redaction::redact).toList();
    if (format == OutputFormat.JSON) {
      out.println(
          JsonOutput.pretty(
              ListExecutionsResponse.newBuilder()
                  .addAllExecutions(shown)
                  .setNextPageToken(nextPageToken)
                  .build()));
      return;
    }
    if (shown.isEmpty()) {
      out.println("No executions.");
    } else {
      Table table = Table.withHeaders("ID", "AGENT", "PHASE", "CREATED", "DURATION", "RESULT");
      for (AgentExecution execution : shown) {
        table.row(
            execution.getMetadata().getId(),
            execution.getSpec().getAgent(),
            ExecutionTexts.phase(execution),
            Formats.timestamp(execution.getMetadata().getCreateTime()),
            Formats.between(
                execution.getStatus().getStartTime(), execution.getStatus().getEndTime()),
            Formats.oneLine(ExecutionTexts.outcome(execution.getStatus()), RESULT_WIDTH));
      }
      table.print(out);
    }
    if (!nextPageToken.isEmpty()) {
      out.println();
      out.println("More executions: add --page-token " + nextPageToken + " (or --all)");
    }
  }

  /** One update of a watched execution: a line with time, sequence and phase, or a JSON line. */
  public void update(AgentExecution execution) {
    AgentExecution shown = Redaction.redact(execution);
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.line(shown));
    } else {
      events.beforeLine();
      out.println(
          Formats.timestamp(ExecutionTexts.phaseTime(shown))
              + "  #"
              + shown.getMetadata().getSequence()
              + "  "
              + ExecutionTexts.phase(shown));
      events.afterLine(ExecutionTexts.phase(shown), isEnded(shown));
    }
    out.flush();
  }

  /**
   * A progress event of a watched execution: an indented line ({@code │ log line}, {@code ⚙ tool x
   * started}, {@code » answer}), or in JSON a line {@code {"event": {...}}}.
   */
  public void event(ExecutionEvent event) {
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.line(WatchExecutionResponse.newBuilder().setEvent(event)));
      out.flush();
    } else {
      events.event(event);
    }
  }

  private static boolean isEnded(AgentExecution execution) {
    return switch (execution.getStatus().getPhase()) {
      case COMPLETED, FAILED, CANCELLED -> true;
      default -> false;
    };
  }

  /**
   * After the last update of a finished execution: its output in full, or its error. Nothing in
   * JSON, where the last object already holds both.
   */
  public void result(AgentExecution execution) {
    if (format == OutputFormat.JSON) {
      return;
    }
    events.beforeLine();
    String text = ExecutionTexts.finalText(execution);
    if (!text.isEmpty()) {
      out.print(text);
      if (!text.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
  }
}
