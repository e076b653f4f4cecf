package dev.baton.examples;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Example 2: several agent calls at once. */
@WorkflowInterface
public interface ParallelCallsWorkflow {

  /** Makes all {@code calls} in parallel; returns their results in the same order. */
  @WorkflowMethod
  List<AgentResult> callAll(List<AgentCall> calls);
}
