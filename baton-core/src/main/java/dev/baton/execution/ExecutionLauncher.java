package dev.baton.execution;

/** Starts and cancels the durable workflows that run executions. */
public interface ExecutionLauncher {

  /**
   * Starts the execution's workflow; a workflow already started for it is left alone.
   *
   * @throws ExecutionUnavailableException when the workflow engine cannot be reached
   */
  void start(String executionId);

  /**
   * Asks the execution's workflow to cancel.
   *
   * @return false when no such workflow is running
   * @throws ExecutionUnavailableException when the workflow engine cannot be reached
   */
  boolean cancel(String executionId, String reason);
}
