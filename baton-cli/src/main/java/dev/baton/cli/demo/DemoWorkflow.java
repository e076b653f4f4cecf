package dev.baton.cli.demo;

import dev.baton.caller.AgentCall;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** The demo's caller: a workflow that calls agents in parallel through the handshake. */
@WorkflowInterface
public interface DemoWorkflow {

  @WorkflowMethod
  List<DemoCallReport> callInParallel(List<AgentCall> calls);
}
