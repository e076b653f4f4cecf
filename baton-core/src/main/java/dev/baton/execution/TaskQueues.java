package dev.baton.execution;

/** Names of Baton's Temporal task queues, in one place. */
public final class TaskQueues {
  /** Execution workflows and their local system activities. */
  public static final String EXECUTIONS = "baton-executions";

  /** Agent-runner activities of the runners built into the server. */
  public static final String AGENTS = "baton-agents";

  private TaskQueues() {}
}
