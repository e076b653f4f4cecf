package dev.baton.cli.demo;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivities;
import dev.baton.caller.AgentCallOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

public final class DemoWorkflowImpl implements DemoWorkflow {
  private final AgentCallActivities agents =
      Workflow.newActivityStub(
          AgentCallActivities.class, AgentCallOptions.forExpectedDuration(Duration.ofMinutes(1)));

  @Override
  public List<DemoCallReport> callInParallel(List<AgentCall> calls) {
    long start = Workflow.currentTimeMillis();
    List<Promise<DemoCallReport>> pending =
        calls.stream()
            .map(
                call ->
                    Async.function(agents::callAgent, call)
                        .thenApply(
                            result ->
                                new DemoCallReport(result, Workflow.currentTimeMillis() - start)))
            .toList();
    return pending.stream().map(Promise::get).toList();
  }
}
