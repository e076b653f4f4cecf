package dev.baton.agent.external;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.RunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.TaskQueues;
import java.util.Optional;

/**
 * Agents served outside Baton's JVM (runner type {@code external}): the execution workflow
 * schedules the {@code RunAgent} activity on the agent's own task queue, where a worker in any
 * Temporal SDK language serves it (docs/guides/external-runners.md).
 *
 * <p>Settings: {@code taskQueue} (default {@code baton-agent-<name>}; not one of Baton's own
 * queues). This runner only validates; its {@link #run} is never reached through the workflow.
 */
public final class ExternalRunner implements AgentRunner {
  /** The runner type agent definitions name. */
  public static final String TYPE = "external";

  /** The setting naming the agent's task queue. */
  public static final String TASK_QUEUE = "taskQueue";

  private static final int MAX_TASK_QUEUE_LENGTH = 200;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(AgentDefinition agent) {
    AgentSettings.requireOnly(agent, TYPE, TASK_QUEUE);
    JsonNode node = agent.settings().get(TASK_QUEUE);
    if (node == null) {
      return;
    }
    String queue = node.isTextual() ? node.asText() : "";
    if (queue.isBlank()
        || queue.length() > MAX_TASK_QUEUE_LENGTH
        || queue.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "settings.taskQueue must be a task queue name (text without spaces, at most "
              + MAX_TASK_QUEUE_LENGTH
              + " characters), found "
              + node);
    }
    if (TaskQueues.isReserved(queue)) {
      throw new IllegalArgumentException(
          "settings.taskQueue '"
              + queue
              + "' is Baton's own queue; choose another, e.g. "
              + TaskQueues.EXTERNAL_AGENT_PREFIX
              + agent.name());
    }
  }

  /** The {@code taskQueue} setting, if the agent has one. */
  public static Optional<String> configuredTaskQueue(AgentDefinition agent) {
    JsonNode node = agent.settings().get(TASK_QUEUE);
    return node != null && node.isTextual() && !node.asText().isBlank()
        ? Optional.of(node.asText())
        : Optional.empty();
  }

  /** Reached only if a run of an external agent lands on Baton's own queue: refuse it. */
  @Override
  public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
    throw new AgentFailedException(
        ExecutionError.AGENT_NOT_RUNNABLE,
        "agent '"
            + agent.name()
            + "' is served by an external worker on task queue '"
            + TaskQueues.forAgent(agent)
            + "', not by Baton's built-in runners");
  }
}
