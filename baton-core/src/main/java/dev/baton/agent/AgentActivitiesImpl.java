package dev.baton.agent;

import dev.baton.execution.ExecutionError;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;

/** Serves the agent-runner activity with the runners built into this server. */
public final class AgentActivitiesImpl implements AgentActivities {
  private final AgentCatalog agents;
  private final AgentRunners runners;
  private final Clock clock;

  public AgentActivitiesImpl(AgentCatalog agents, AgentRunners runners, Clock clock) {
    this.agents = agents;
    this.runners = runners;
    this.clock = clock;
  }

  @Override
  public AgentOutput run(AgentInvocation invocation) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    AgentDefinition agent =
        agents
            .find(invocation.agent())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "agent '" + invocation.agent() + "' is not defined on this worker",
                        ExecutionError.AGENT_NOT_RUNNABLE));
    Instant deadline = clock.instant().plus(invocation.timeout());
    try {
      return runners
          .get(agent.runner())
          .run(agent, invocation, new TemporalRunContext(context, deadline));
    } catch (AgentFailedException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.type());
    } catch (AgentCancelledException e) {
      // Rethrow what Temporal raised so the SDK reports the activity as cancelled.
      if (e.getCause() instanceof ActivityCompletionException completion) {
        throw completion;
      }
      throw e;
    }
  }

  /** Heartbeats the agent-runner activity; Temporal's answer carries cancellation. */
  private record TemporalRunContext(ActivityExecutionContext context, Instant deadline)
      implements RunContext {

    @Override
    public void heartbeat(String progress) {
      try {
        context.heartbeat(progress);
      } catch (ActivityCompletionException e) {
        throw new AgentCancelledException("the execution was cancelled", e);
      }
    }
  }
}
