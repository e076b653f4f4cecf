package dev.baton.execution;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Delivers the outcome of an execution that has already ended to the token bound to it now: used
 * when a retried caller attempt arrives after the end, and by the reconciler. Its id is {@link
 * ExecutionIds#callbackWorkflowId}.
 */
@WorkflowInterface
public interface CallbackWorkflow {

  @WorkflowMethod(name = "AgentCallback")
  CallbackState deliver(String executionId);
}
