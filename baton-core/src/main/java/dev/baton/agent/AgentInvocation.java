package dev.baton.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.baton.execution.TaskQueues;
import java.time.Duration;
import java.util.List;

/**
 * One run of an agent: the input of the agent-runner activity. Its JSON form is the contract with
 * external runners (docs/guides/external-runners.md): add fields, never rename or remove one.
 *
 * @param timeout the deadline of this run, measured from its start
 * @param taskQueue the Temporal task queue the run is scheduled on ({@link TaskQueues#forAgent});
 *     {@link TaskQueues#AGENTS} when absent (histories written before it existed)
 * @param history reserved for conversation context: the earlier turns this run continues, oldest
 *     first; always empty until executions can continue one another
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentInvocation(
    String executionId,
    String agent,
    String message,
    Duration timeout,
    String taskQueue,
    List<Turn> history) {

  public AgentInvocation {
    taskQueue = taskQueue == null || taskQueue.isBlank() ? TaskQueues.AGENTS : taskQueue;
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** A first turn on the built-in runners' task queue. */
  public AgentInvocation(String executionId, String agent, String message, Duration timeout) {
    this(executionId, agent, message, timeout, TaskQueues.AGENTS, List.of());
  }

  /**
   * One earlier turn of a conversation.
   *
   * @param executionId the execution that ran it
   * @param message what the agent was asked
   * @param output what it answered
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Turn(String executionId, String message, String output) {}
}
