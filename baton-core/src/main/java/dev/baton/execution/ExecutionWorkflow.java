package dev.baton.execution;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one execution: waits PENDING while its agent runs as many executions as it may at once (see
 * {@link AdmissionControl}), marks it IN_PROGRESS, runs the agent, records the terminal status, and
 * delivers the outcome to the caller. Cancelling the workflow cancels the execution. Its id is
 * {@link ExecutionIds#workflowId}; it has no run timeout (the agent deadline is enforced inside).
 */
@WorkflowInterface
public interface ExecutionWorkflow {

  /** Returns the final callback state. */
  @WorkflowMethod(name = "AgentExecution")
  CallbackState run(String executionId);

  /** Stops the agent; the execution ends CANCELLED and the caller sees a cancellation. */
  @SignalMethod(name = "Cancel")
  void cancel(String reason);

  /** A slot of the agent may have freed: a queued execution checks again now. */
  @SignalMethod(name = "SlotFreed")
  void slotFreed();
}
