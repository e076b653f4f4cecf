package dev.baton.execution;

import java.util.Objects;

/**
 * The Temporal activity waiting for an execution's outcome. Executions are idempotent on everything
 * but {@code attempt}: a retried attempt of the same activity is the same caller.
 */
public record CallerIdentity(
    String namespace, String workflowId, String runId, String activityId, int attempt) {

  public CallerIdentity {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(workflowId, "workflowId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(activityId, "activityId");
  }

  /** The idempotency key of this caller: the same for every attempt of the activity. */
  public String idempotencyKey() {
    return "caller:" + namespace + "/" + workflowId + "/" + runId + "/" + activityId;
  }

  /** The caller's workflow id as log lines show it: {@code -} when nobody waits. */
  public static String workflowIdOf(CallerIdentity caller) {
    return caller == null ? "-" : caller.workflowId();
  }

  /** The caller's activity id as log lines show it: {@code -} when nobody waits. */
  public static String activityIdOf(CallerIdentity caller) {
    return caller == null ? "-" : caller.activityId();
  }
}
