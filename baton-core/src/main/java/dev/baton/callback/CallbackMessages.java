package dev.baton.callback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Builds what a caller receives from a terminal execution. */
final class CallbackMessages {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CallbackMessages() {}

  static AgentResult result(Execution execution, int outputLimitBytes) {
    ExecutionStatus status = execution.status();
    String output = status.output() == null ? "" : status.output();
    String delivered = utf8Prefix(output, outputLimitBytes);
    return new AgentResult(
        execution.id(),
        execution.spec().agent(),
        status.phase().name(),
        delivered,
        structured(status.structuredOutput()),
        status.startTime(),
        status.endTime(),
        durationMillis(status),
        delivered.length() < output.length());
  }

  /** What a caller receives when an operator completes it by hand with {@code output}. */
  static AgentResult manualResult(Execution execution, String output) {
    ExecutionStatus status = execution.status();
    return new AgentResult(
        execution.id(),
        execution.spec().agent(),
        "COMPLETED",
        output,
        null,
        status.startTime(),
        status.endTime(),
        durationMillis(status),
        false);
  }

  private static long durationMillis(ExecutionStatus status) {
    return status.startTime() == null || status.endTime() == null
        ? 0
        : Duration.between(status.startTime(), status.endTime()).toMillis();
  }

  static AgentExecutionFailure failure(Execution execution) {
    ExecutionError error = execution.status().error();
    String type = error == null ? ExecutionError.AGENT_FAILED : error.type();
    String message = error == null ? "agent failed without an error message" : error.message();
    return new AgentExecutionFailure(execution.id(), execution.spec().agent(), type, message);
  }

  static String cancellationReason(Execution execution) {
    ExecutionError error = execution.status().error();
    return error == null ? "execution cancelled" : error.message();
  }

  /** The longest prefix of {@code text} whose UTF-8 encoding fits in {@code maxBytes}. */
  static String utf8Prefix(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    int end = maxBytes;
    // Step back over continuation bytes so no code point is split.
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  private static JsonNode structured(String json) {
    if (json == null) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored structured output is not JSON", e);
    }
  }
}
