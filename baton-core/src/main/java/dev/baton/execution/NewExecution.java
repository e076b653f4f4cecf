package dev.baton.execution;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An execution about to be stored.
 *
 * @param callbackToken the caller's task token, or {@code null} when nobody waits
 * @param idempotencyKey executions with the same non-null key are one execution
 */
public record NewExecution(
    String id,
    Instant createTime,
    Map<String, String> labels,
    ExecutionSpec spec,
    CallbackToken callbackToken,
    String idempotencyKey) {

  public NewExecution {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createTime, "createTime");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(spec, "spec");
  }

  /** The execution as first stored: PENDING, sequence 1. */
  public Execution toExecution() {
    CallbackStatus callback =
        callbackToken == null
            ? CallbackStatus.none()
            : CallbackStatus.pending(callbackToken.fingerprint());
    return new Execution(id, createTime, labels, 1, spec, ExecutionStatus.pending(callback));
  }
}
