package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;

public final class ConfiguredCallerWorkflowImpl implements ConfiguredCallerWorkflow {

  @Override
  public AgentResult call(AgentCall call, CallSettings settings) {
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(settings.startToClose())
            .setCancellationType(settings.cancellationType())
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(settings.maximumAttempts())
                    .setInitialInterval(settings.retryInterval())
                    .setBackoffCoefficient(1)
                    .build());
    if (settings.heartbeatTimeout() != null) {
      options.setHeartbeatTimeout(settings.heartbeatTimeout());
    }
    return Workflow.newActivityStub(AgentCallActivities.class, options.build()).callAgent(call);
  }
}
