package dev.baton.bench;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Runs one call; activities run on the workflow's own task queue (and so its worker's slots). */
public final class BenchWorkflowImpl implements BenchWorkflow {
  private static final Duration LONGEST_AGENT = Duration.ofMinutes(15);

  @Override
  public BenchOutcome call(BenchCall call) {
    long before = Workflow.currentTimeMillis();
    long agentMillis =
        switch (call.mode()) {
          case BATON ->
              Workflow.newActivityStub(
                      AgentCallActivities.class,
                      AgentCallOptions.forExpectedDuration(LONGEST_AGENT))
                  .callAgent(AgentCall.of(call.agent(), "ping"))
                  .durationMillis();
          case RAW_ASYNC -> baselines().rawAsync(call.delayMillis());
          case SYNC -> baselines().sync(call.delayMillis());
          case POLLING -> baselines().polling(call.agent());
          case BLOCKING -> baselines().blocking(call.agent());
        };
    return new BenchOutcome(Workflow.currentTimeMillis() - before, agentMillis);
  }

  private static BaselineActivities baselines() {
    return Workflow.newActivityStub(
        BaselineActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(LONGEST_AGENT.multipliedBy(2))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }
}
