package dev.baton.cli.output;

import dev.baton.api.v1.ExecutionDescription;
import dev.baton.api.v1.PendingActivity;
import dev.baton.api.v1.WorkflowDescription;
import java.io.PrintWriter;

/**
 * Prints {@code exec describe}: the execution as {@code exec get} shows it, then its workflows in
 * Temporal (status, run, pending activities), so operators need no Temporal CLI.
 */
public final class DescriptionPrinter {
  /** The status of a workflow Temporal does not know. */
  private static final String NOT_FOUND = dev.baton.execution.WorkflowDescription.NOT_FOUND;

  private static final int DETAILS_WIDTH = 100;

  private final PrintWriter out;
  private final OutputFormat format;

  public DescriptionPrinter(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  public void describe(ExecutionDescription description) {
    ExecutionDescription shown =
        description.toBuilder().setExecution(Redaction.redact(description.getExecution())).build();
    if (format == OutputFormat.JSON) {
      out.println(JsonOutput.pretty(shown));
      return;
    }
    ExecutionDetail.print(shown.getExecution(), out);
    out.println();
    workflow("Execution workflow", shown.getWorkflow());
    if (shown.getWorkflow().getStatus().equals(NOT_FOUND)) {
      out.println(
          "  (An eagerly started agent's workflow starts once the agent outlives the server's"
              + " --eager-workflow-delay; one that ended and was delivered sooner never has one.)");
    }
    if (shown.hasCallbackWorkflow()) {
      workflow("Redelivery workflow", shown.getCallbackWorkflow());
    }
    if (shown.hasCallerWorkflow()) {
      workflow("Caller workflow", shown.getCallerWorkflow());
    }
  }

  private void workflow(String title, WorkflowDescription workflow) {
    out.println(title + " " + workflow.getWorkflowId() + ":");
    Table fields =
        Table.withColumns(2)
            .row("  Namespace:", workflow.getNamespace())
            .row("  Status:", workflow.getStatus());
    if (!workflow.getError().isEmpty()) {
      fields.row("  Error:", workflow.getError());
    }
    if (!workflow.getRunId().isEmpty()) {
      fields
          .row("  Run:", workflow.getRunId())
          .row("  Task queue:", workflow.getTaskQueue())
          .row("  Started:", Formats.timestamp(workflow.getStartTime()))
          .row("  Closed:", Formats.timestamp(workflow.getCloseTime()))
          .row("  History:", workflow.getHistoryLength() + " events");
    }
    if (workflow.getStatus().equals("RUNNING") && workflow.getPendingActivitiesCount() == 0) {
      fields.row("  Pending:", "no activity");
    }
    for (PendingActivity activity : workflow.getPendingActivitiesList()) {
      fields.row("  Pending:", activity(activity));
    }
    fields.print(out);
  }

  private static String activity(PendingActivity activity) {
    StringBuilder text =
        new StringBuilder(activity.getActivityType())
            .append(" (activity ")
            .append(activity.getActivityId())
            .append(") ")
            .append(activity.getState())
            .append(", attempt ")
            .append(activity.getAttempt());
    if (activity.getMaximumAttempts() > 0) {
      text.append(" of ").append(activity.getMaximumAttempts());
    }
    if (activity.hasLastHeartbeatTime()) {
      text.append(", last heartbeat ").append(Formats.timestamp(activity.getLastHeartbeatTime()));
    }
    if (!activity.getLastHeartbeatDetails().isEmpty()) {
      text.append(" (")
          .append(Formats.oneLine(activity.getLastHeartbeatDetails(), DETAILS_WIDTH))
          .append(')');
    }
    if (!activity.getLastWorkerIdentity().isEmpty()) {
      text.append(", worker ").append(activity.getLastWorkerIdentity());
    }
    if (!activity.getLastFailure().isEmpty()) {
      text.append(", last failure: ")
          .append(Formats.oneLine(activity.getLastFailure(), DETAILS_WIDTH));
    }
    return text.toString();
  }
}
