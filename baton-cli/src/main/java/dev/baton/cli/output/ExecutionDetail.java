package dev.baton.cli.output;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallbackStatus;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.ExecutionMetadata;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ExecutionStatus;
import dev.baton.api.v1.OnCallerGone;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Everything about one execution for people ({@code exec get}); the output in full. */
final class ExecutionDetail {

  private static final String INDENT = "  ";

  private ExecutionDetail() {}

  static void print(AgentExecution execution, PrintWriter out) {
    ExecutionMetadata metadata = execution.getMetadata();
    ExecutionSpec spec = execution.getSpec();
    ExecutionStatus status = execution.getStatus();
    Table fields =
        Table.withColumns(2)
            .row("ID:", metadata.getId())
            .row("Agent:", spec.getAgent())
            .row("Phase:", ExecutionTexts.phase(execution))
            .row("Created:", Formats.timestamp(metadata.getCreateTime()))
            .row("Started:", Formats.timestamp(status.getStartTime()))
            .row("Ended:", Formats.timestamp(status.getEndTime()))
            .row("Duration:", Formats.between(status.getStartTime(), status.getEndTime()))
            .row(
                "Timeout:",
                spec.hasTimeout() ? Durations.format(spec.getTimeout()) : "agent default")
            .row("Sequence:", Long.toString(metadata.getSequence()))
            .row("Labels:", labels(metadata.getLabelsMap()));
    if (spec.hasCaller()) {
      fields.row("Caller:", caller(spec.getCaller()));
    }
    if (spec.getOnCallerGone() != OnCallerGone.ON_CALLER_GONE_UNSPECIFIED) {
      fields.row("On caller gone:", ExecutionTexts.onCallerGone(spec.getOnCallerGone()));
    }
    if (status.hasCallback()) {
      fields.row("Callback:", callback(status.getCallback()));
    }
    String error = ExecutionTexts.error(status.getError());
    if (!error.isEmpty()) {
      fields.row("Error:", error);
    }
    fields.print(out);
    block("Message:", spec.getMessage(), out);
    block("Output:", status.getOutput(), out);
    if (status.hasStructuredOutput()) {
      block("Structured output:", JsonOutput.pretty(status.getStructuredOutput()), out);
    }
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return Formats.NONE;
    }
    return new TreeMap<>(labels)
        .entrySet().stream()
            .map(label -> label.getKey() + "=" + label.getValue())
            .collect(Collectors.joining(", "));
  }

  private static String caller(CallerIdentity caller) {
    return String.join(
            "/",
            caller.getNamespace(),
            caller.getWorkflowId(),
            caller.getRunId(),
            caller.getActivityId())
        + " (attempt "
        + caller.getAttempt()
        + ")";
  }

  private static String callback(CallbackStatus callback) {
    StringBuilder text = new StringBuilder(stateName(callback.getState()));
    if (callback.getAttempts() > 0) {
      text.append(", ").append(callback.getAttempts()).append(" attempt(s)");
    }
    if (!Formats.isUnset(callback.getDeliveredTime())) {
      text.append(", delivered ").append(Formats.timestamp(callback.getDeliveredTime()));
    }
    if (!callback.getTokenFingerprint().isEmpty()) {
      text.append(", token sha256:").append(callback.getTokenFingerprint());
    }
    if (!callback.getLastError().isEmpty()) {
      text.append(", last error: ").append(callback.getLastError());
    }
    return text.toString();
  }

  private static String stateName(CallbackState state) {
    return switch (state) {
      case CALLBACK_PENDING -> "PENDING";
      case CALLBACK_FAILED -> "FAILED";
      default -> state.name();
    };
  }

  private static void block(String title, String text, PrintWriter out) {
    if (text.isEmpty()) {
      return;
    }
    out.println(title);
    text.lines().forEach(line -> out.println((INDENT + line).stripTrailing()));
  }
}
