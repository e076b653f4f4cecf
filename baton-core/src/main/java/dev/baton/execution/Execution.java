package dev.baton.execution;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One run of an agent on behalf of a caller.
 *
 * @param sequence grows by one with every stored change; Watch streams emit it in order
 */
public record Execution(
    String id,
    Instant createTime,
    Map<String, String> labels,
    long sequence,
    ExecutionSpec spec,
    ExecutionStatus status) {

  public Execution {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createTime, "createTime");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
  }

  public ExecutionPhase phase() {
    return status.phase();
  }

  /** The id of the Temporal workflow that runs this execution. */
  public String workflowId() {
    return ExecutionIds.workflowId(id);
  }
}
