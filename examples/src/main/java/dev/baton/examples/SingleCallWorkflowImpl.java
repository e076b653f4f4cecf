package dev.baton.examples;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public final class SingleCallWorkflowImpl implements SingleCallWorkflow {
  private final AgentCallActivities agents =
      Workflow.newActivityStub(
          AgentCallActivities.class,
          ActivityOptions.newBuilder(AgentCallOptions.forExpectedDuration(Duration.ofMinutes(5)))
              // Baton heartbeats this call while the agent runs: a dead Baton shows within 30 s.
              .setHeartbeatTimeout(Duration.ofSeconds(30))
              // If the workflow cancels the call, wait until Baton has stopped the agent.
              .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
              .build());

  @Override
  public String summarize(String text) {
    AgentResult result = agents.callAgent(AgentCall.of("summarize", text));
    return result.output();
  }
}
