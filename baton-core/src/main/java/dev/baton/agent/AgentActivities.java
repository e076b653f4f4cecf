package dev.baton.agent;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The agent-runner activity. Any worker that polls an agent's task queue and implements this
 * activity type can serve the agent, in any Temporal SDK language. The queue is {@link
 * dev.baton.execution.TaskQueues#forAgent}: Baton's own for built-in runners, the agent's own for
 * {@code runner: external} (contract: docs/guides/external-runners.md).
 */
@ActivityInterface
public interface AgentActivities {

  /**
   * Runs the agent. Fails with a non-retryable {@code ApplicationFailure} whose type is the
   * execution error type (e.g. {@code AgentFailed}, {@code AgentTimeout}) when the agent fails.
   */
  @ActivityMethod(name = "RunAgent")
  AgentOutput run(AgentInvocation invocation);
}
