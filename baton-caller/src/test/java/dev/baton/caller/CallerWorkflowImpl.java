package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public final class CallerWorkflowImpl implements CallerWorkflow {

  @Override
  public List<AgentResult> call(List<AgentCall> calls, long expectedMillis) {
    var options =
        expectedMillis > 0
            ? io.temporal.activity.ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMillis(expectedMillis))
                .setRetryOptions(
                    io.temporal.common.RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build()
            : AgentCallOptions.forExpectedDuration(Duration.ofSeconds(30));
    AgentCallActivities agents = Workflow.newActivityStub(AgentCallActivities.class, options);
    List<Promise<AgentResult>> results =
        calls.stream().map(call -> Async.function(agents::callAgent, call)).toList();
    return results.stream().map(Promise::get).toList();
  }
}
