package dev.baton.cli.output;

import com.google.protobuf.Timestamp;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionError;
import dev.baton.api.v1.ExecutionStatus;
import dev.baton.api.v1.OnCallerGone;
import java.util.Locale;

/** Short texts about one execution, shared by the list, detail and watch views. */
final class ExecutionTexts {

  private ExecutionTexts() {}

  /** As agent files write it: {@code cancel} or {@code continue}; {@code -} when unset. */
  static String onCallerGone(OnCallerGone onCallerGone) {
    return switch (onCallerGone) {
      case ON_CALLER_GONE_CANCEL -> "cancel";
      case ON_CALLER_GONE_CONTINUE -> "continue";
      default -> Formats.NONE;
    };
  }

  static String phase(AgentExecution execution) {
    return execution.getStatus().getPhase().name();
  }

  /** {@code Type: message}, or whichever of the two is set; empty when neither is. */
  static String error(ExecutionError error) {
    if (error.getType().isEmpty()) {
      return error.getMessage();
    }
    if (error.getMessage().isEmpty()) {
      return error.getType();
    }
    return error.getType() + ": " + error.getMessage();
  }

  /** The error when there is one, else the output. */
  static String outcome(ExecutionStatus status) {
    String error = error(status.getError());
    return error.isEmpty() ? status.getOutput() : error;
  }

  /**
   * The last line of a finished execution in watch output: its output or why it did not end well.
   */
  static String finalText(AgentExecution execution) {
    ExecutionStatus status = execution.getStatus();
    return switch (status.getPhase()) {
      case COMPLETED -> status.getOutput();
      case FAILED, CANCELLED -> {
        String prefix = status.getPhase().name().toLowerCase(Locale.ROOT);
        String error = error(status.getError());
        yield error.isEmpty() ? prefix : prefix + ": " + error;
      }
      default -> "";
    };
  }

  /**
   * When the execution reached its current phase: end time when finished, start time when running,
   * create time otherwise (each falling back to an earlier one if unset).
   */
  static Timestamp phaseTime(AgentExecution execution) {
    ExecutionStatus status = execution.getStatus();
    if (!Formats.isUnset(status.getEndTime())) {
      return status.getEndTime();
    }
    if (!Formats.isUnset(status.getStartTime())) {
      return status.getStartTime();
    }
    return execution.getMetadata().getCreateTime();
  }
}
