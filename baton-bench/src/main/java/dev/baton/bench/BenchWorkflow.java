package dev.baton.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A caller workflow that makes one agent call in the requested mode and reports its timing. */
@WorkflowInterface
public interface BenchWorkflow {

  @WorkflowMethod(name = "BenchCall")
  BenchOutcome call(BenchCall call);
}
