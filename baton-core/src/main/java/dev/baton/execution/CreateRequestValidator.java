package dev.baton.execution;

import dev.baton.agent.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a {@link CreateExecution} against the {@link ExecutionLimits}. */
final class CreateRequestValidator {
  private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,62})");
  private static final int MAX_LABEL_VALUE = 256;
  private static final int MAX_IDENTIFIER = 1000;
  private static final char NUL = '\u0000';
  private static final String NO_NUL = "must not contain NUL (U+0000) characters";

  private final ExecutionLimits limits;

  CreateRequestValidator(ExecutionLimits limits) {
    this.limits = limits;
  }

  void validate(CreateExecution request) {
    require(
        request.agent() != null && !request.agent().isBlank(),
        "spec.agent",
        "must name an agent, got nothing");
    String message = request.message();
    require(message != null && !message.isBlank(), "spec.message", "must not be empty");
    int messageBytes = message.getBytes(StandardCharsets.UTF_8).length;
    require(
        messageBytes <= limits.maxMessageBytes(),
        "spec.message",
        "must be at most " + limits.maxMessageBytes() + " bytes (UTF-8), got " + messageBytes);
    requireNoNul("spec.message", message);
    byte[] token = request.callbackToken();
    boolean hasToken = token != null && token.length > 0;
    if (hasToken) {
      require(
          token.length <= limits.maxTokenBytes(),
          "spec.callback_token",
          "must be at most " + limits.maxTokenBytes() + " bytes, got " + token.length);
      require(
          request.caller() != null,
          "spec.caller",
          "is required with a callback token: namespace, workflow_id, run_id, activity_id, attempt");
    }
    if (request.caller() != null) {
      validateCaller(request.caller());
    }
    validateDuration("spec.timeout", request.timeout());
    validateDuration("spec.caller_heartbeat_timeout", request.callerHeartbeatTimeout());
    validateLabels(request.labels());
    if (request.requestId() != null) {
      require(
          request.requestId().length() <= 128,
          "request_id",
          "must be at most 128 characters, got " + request.requestId().length());
      requireNoNul("request_id", request.requestId());
    }
  }

  private void validateCaller(CallerIdentity caller) {
    requireIdentifier("spec.caller.namespace", caller.namespace());
    requireIdentifier("spec.caller.workflow_id", caller.workflowId());
    requireIdentifier("spec.caller.run_id", caller.runId());
    requireIdentifier("spec.caller.activity_id", caller.activityId());
    require(
        caller.attempt() >= 1,
        "spec.caller.attempt",
        "must be the activity's attempt number (1 or more), got " + caller.attempt());
  }

  private void validateDuration(String field, Duration duration) {
    if (duration == null) {
      return;
    }
    require(
        !duration.isNegative() && !duration.isZero(),
        field,
        "must be positive when set, got " + Durations.format(duration));
    require(
        duration.compareTo(limits.maxTimeout()) <= 0,
        field,
        "must be at most "
            + Durations.format(limits.maxTimeout())
            + ", got "
            + Durations.format(duration));
  }

  /** Labels as Create takes them, and as a list request filters on them. */
  void validateLabels(Map<String, String> labels) {
    require(
        labels.size() <= limits.maxLabels(),
        "labels",
        "at most " + limits.maxLabels() + " labels, got " + labels.size());
    labels.forEach(
        (key, value) -> {
          require(
              LABEL_KEY.matcher(key).matches(),
              "labels",
              "key '" + key + "' must be 1-63 characters of letters, digits, '.', '_', '/', '-'");
          require(
              value.length() <= MAX_LABEL_VALUE,
              "labels",
              "value of '" + key + "' must be at most " + MAX_LABEL_VALUE + " characters");
          int nul = value.indexOf(NUL);
          require(
              nul < 0, "labels", "value of '" + key + "' " + NO_NUL + ", got one at index " + nul);
        });
  }

  private static void requireIdentifier(String field, String value) {
    require(value != null && !value.isBlank(), field, "must not be empty");
    require(
        value.length() <= MAX_IDENTIFIER,
        field,
        "must be at most " + MAX_IDENTIFIER + " characters, got " + value.length());
    requireNoNul(field, value);
  }

  /**
   * PostgreSQL cannot store U+0000 in text or jsonb: refused here on every database, rather than
   * accepted by SQLite and failing as an internal error on PostgreSQL.
   */
  static void requireNoNul(String field, String value) {
    int at = value.indexOf(NUL);
    require(at < 0, field, NO_NUL + ", got one at index " + at);
  }

  private static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidRequestException(field, message);
    }
  }
}
