package dev.baton.cli.output;

import dev.baton.api.v1.AgeCount;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.ExecutionSummary;
import java.io.PrintWriter;

/** Prints the operator summary of {@code baton status}. */
public final class SummaryPrinter {
  private final PrintWriter out;
  private final OutputFormat format;

  public SummaryPrinter(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  public void summary(ExecutionSummary summary) {
    if (format == OutputFormat.JSON) {
      out.println(
          JsonOutput.prettyWithZeros(
              summary, ExecutionSummary.getDescriptor(), AgeCount.getDescriptor()));
      return;
    }
    long pending = summary.getPendingCallbacksList().stream().mapToLong(AgeCount::getCount).sum();
    Table counts = Table.withColumns(2);
    counts.row("In progress:", Long.toString(summary.getInProgress()));
    counts.row("Callbacks pending:", Long.toString(pending));
    for (AgeCount age : summary.getPendingCallbacksList()) {
      counts.row("  " + age.getAgeBucket() + ":", Long.toString(age.getCount()));
    }
    counts.row("Last hour delivered:", Long.toString(summary.getDeliveredLastHour()));
    counts.row("Last hour caller gone:", Long.toString(summary.getCallerGoneLastHour()));
    counts.row("Last hour failed:", Long.toString(summary.getFailedLastHour()));
    counts.print(out);
    if (summary.getOldestPendingCount() == 0) {
      return;
    }
    out.println();
    out.println("Oldest pending callbacks:");
    Table oldest = Table.withHeaders("ID", "AGENT", "PHASE", "CREATED", "CALLER", "TOKEN");
    for (AgentExecution execution : summary.getOldestPendingList()) {
      CallerIdentity caller = execution.getSpec().getCaller();
      oldest.row(
          execution.getMetadata().getId(),
          execution.getSpec().getAgent(),
          ExecutionTexts.phase(execution),
          Formats.timestamp(execution.getMetadata().getCreateTime()),
          execution.getSpec().hasCaller()
              ? caller.getWorkflowId() + " / " + caller.getActivityId() + " #" + caller.getAttempt()
              : Formats.NONE,
          execution.getStatus().getCallback().getTokenFingerprint());
    }
    oldest.print(out);
  }
}
