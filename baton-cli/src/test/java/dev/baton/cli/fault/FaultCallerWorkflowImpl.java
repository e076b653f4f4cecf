package dev.baton.cli.fault;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Calls the agent with the recommended options for a 30 s agent. */
public final class FaultCallerWorkflowImpl implements FaultCallerWorkflow {
  private final AgentCallActivities agents =
      Workflow.newActivityStub(
          AgentCallActivities.class, AgentCallOptions.forExpectedDuration(Duration.ofSeconds(30)));

  @Override
  public AgentResult call(AgentCall call) {
    return agents.callAgent(call);
  }
}
