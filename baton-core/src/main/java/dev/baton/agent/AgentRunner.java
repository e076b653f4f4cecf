package dev.baton.agent;

/**
 * Runs one kind of agent ({@code runner:} in the agent's YAML). Implementations are thread-safe:
 * one runner serves every execution of its type.
 */
public interface AgentRunner {

  /** The name agent definitions use to pick this runner, e.g. {@code command}. */
  String type();

  /**
   * Checks an agent's settings when definitions are loaded.
   *
   * @throws IllegalArgumentException saying which setting is wrong and what was expected
   */
  void validate(AgentDefinition agent);

  /**
   * Runs the agent to its end. Must call {@link RunContext#heartbeat} at least every second or so
   * while it runs, and stop promptly (releasing every process and resource) when that throws.
   *
   * @throws AgentFailedException when the agent itself failed or ran past its deadline
   * @throws AgentCancelledException when {@link RunContext#heartbeat} reported cancellation
   */
  AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context);
}
