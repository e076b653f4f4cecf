package dev.baton.execution;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.external.ExternalRunner;

/** Names of Baton's Temporal task queues, in one place. */
public final class TaskQueues {
  /** Execution workflows and their local system activities. */
  public static final String EXECUTIONS = "baton-executions";

  /** Agent-runner activities of the runners built into the server. */
  public static final String AGENTS = "baton-agents";

  /** Prefix of an external agent's default task queue: {@code baton-agent-<name>}. */
  public static final String EXTERNAL_AGENT_PREFIX = "baton-agent-";

  private TaskQueues() {}

  /**
   * The task queue the agent's runs are scheduled on: its own for an {@code external} agent
   * (settings {@code taskQueue}, default {@code baton-agent-<name>}), {@link #AGENTS} otherwise.
   */
  public static String forAgent(AgentDefinition agent) {
    if (!ExternalRunner.TYPE.equals(agent.runner())) {
      return AGENTS;
    }
    return ExternalRunner.configuredTaskQueue(agent).orElse(EXTERNAL_AGENT_PREFIX + agent.name());
  }

  /** Whether Baton's own workers poll this queue (an external agent must not use it). */
  public static boolean isReserved(String taskQueue) {
    return EXECUTIONS.equals(taskQueue) || AGENTS.equals(taskQueue);
  }
}
