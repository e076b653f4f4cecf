package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** A caller as users write one: a workflow that calls agents through the caller SDK. */
@WorkflowInterface
public interface CallerWorkflow {

  /** Calls each (agent, message) pair in parallel and returns the results in order. */
  @WorkflowMethod
  List<AgentResult> call(List<AgentCall> calls, long expectedMillis);
}
