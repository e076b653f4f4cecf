package dev.baton.examples;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public final class ParallelCallsWorkflowImpl implements ParallelCallsWorkflow {
  private final AgentCallActivities agents =
      Workflow.newActivityStub(
          AgentCallActivities.class, AgentCallOptions.forExpectedDuration(Duration.ofMinutes(5)));

  @Override
  public List<AgentResult> callAll(List<AgentCall> calls) {
    List<Promise<AgentResult>> pending = new ArrayList<>();
    for (AgentCall call : calls) {
      pending.add(Async.function(agents::callAgent, call));
    }
    // All calls are in flight now; no worker slot is held while the agents run.
    return pending.stream().map(Promise::get).toList();
  }
}
