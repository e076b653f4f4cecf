package dev.baton.execution;

import io.temporal.workflow.Workflow;

/** See {@link CallbackWorkflow}. */
public final class CallbackWorkflowImpl implements CallbackWorkflow {
  private final DeliveryStep delivery;

  public CallbackWorkflowImpl(ExecutionWorkflowOptions options) {
    this.delivery =
        new DeliveryStep(
            options,
            Workflow.newLocalActivityStub(
                ExecutionActivities.class, DeliveryStep.storeStepOptions()));
  }

  @Override
  public CallbackState deliver(String executionId) {
    return delivery.run(executionId);
  }
}
