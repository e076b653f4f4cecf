package dev.baton.examples;

import dev.baton.callback.AgentExecutionFailure;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

public final class TimeoutFallbackWorkflowImpl implements TimeoutFallbackWorkflow {
  private static final Logger log = Workflow.getLogger(TimeoutFallbackWorkflowImpl.class);

  private final AgentCallActivities fallbacks =
      Workflow.newActivityStub(
          AgentCallActivities.class, AgentCallOptions.forExpectedDuration(Duration.ofMinutes(5)));

  @Override
  public String answer(String message, String agent, Duration timeout, String fallbackAgent) {
    // Options sized for the agent's deadline: the caller outlives it, so Baton, not Temporal,
    // stops an agent that overruns and reports why (AgentTimeout).
    AgentCallActivities agents =
        Workflow.newActivityStub(
            AgentCallActivities.class, AgentCallOptions.forExpectedDuration(timeout));
    try {
      return agents.callAgent(AgentCall.of(agent, message).withTimeout(timeout)).output();
    } catch (ActivityFailure e) {
      AgentExecutionFailure failure = agentFailure(e);
      log.warn("{} gave no answer ({}); asking {}", agent, failure.errorType(), fallbackAgent);
    }
    try {
      return fallbacks.callAgent(AgentCall.of(fallbackAgent, message)).output();
    } catch (ActivityFailure e) {
      AgentExecutionFailure failure = agentFailure(e);
      log.warn("{} gave no answer either ({})", fallbackAgent, failure.errorType());
      return DEFAULT_ANSWER;
    }
  }

  /** The agent's own failure; rethrows anything else (Baton unreachable, the call cancelled). */
  private static AgentExecutionFailure agentFailure(ActivityFailure e) {
    if (e.getCause() instanceof ApplicationFailure cause
        && AgentExecutionFailure.TYPE.equals(cause.getType())) {
      return cause.getDetails().get(AgentExecutionFailure.class);
    }
    throw e;
  }
}
