package dev.baton.cli.fault;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A caller as users write one: a workflow that calls one agent through the caller SDK. */
@WorkflowInterface
public interface FaultCallerWorkflow {

  @WorkflowMethod
  AgentResult call(AgentCall call);
}
