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
   * Asks the execution's workflow to cancel, starting it with the cancel when it has none yet (an
   * eager run defers its start, ADR 0003, or its first start failed): the workflow holds the cancel
   * durably, wherever the agent runs.
   *
   * @return false when the workflow has closed
   * @throws ExecutionUnavailableException when the workflow engine cannot be reached
   */
  boolean cancel(String executionId, String reason);

  /**
   * Delivers a terminal execution's outcome again, to the token now bound (e.g. a retried caller
   * attempt's). Idempotent per token fingerprint.
   *
   * @throws ExecutionUnavailableException when the workflow engine cannot be reached
   */
  void redeliver(String executionId, String tokenFingerprint);

  /**
   * Tells a queued execution's workflow that a slot of its agent may have freed, so it checks now.
   * Does nothing when the workflow is not running.
   */
  void wake(String executionId);

  /** Whether the execution's workflow is running, closed, or unknown to the engine. */
  WorkflowState state(String executionId);

  /** What the workflow engine knows of an execution's workflow. */
  enum WorkflowState {
    RUNNING,
    /** Closed after completing normally. */
    COMPLETED,
    /** Closed without completing: terminated, failed, timed out or cancelled. */
    CLOSED_ABNORMALLY,
    /** Never started, or lost (e.g. an embedded engine restarted). */
    NOT_FOUND
  }
}
