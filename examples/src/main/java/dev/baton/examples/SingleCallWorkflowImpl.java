package dev.baton.examples;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class SingleCallWorkflowImpl implements SingleCallWorkflow {
  private final AgentCallActivities agents =
      Workflow.newActivityStub(
          AgentCallActivities.class, AgentCallOptions.forExpectedDuration(Duration.ofMinutes(5)));

  @Override
  public String summarize(String text) {
    AgentResult result = agents.callAgent(AgentCall.of("summarize", text));
    return result.output();
  }
}
