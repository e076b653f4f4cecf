package dev.baton.execution;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Workflow code shared by the execution and callback workflows: deliver the outcome, retrying
 * transient errors with backoff for the retry window, then record the result. Not cancellable.
 */
final class DeliveryStep {
  private final ExecutionActivities delivery;
  private final ExecutionActivities system;

  DeliveryStep(ExecutionWorkflowOptions options, ExecutionActivities system) {
    this.system = system;
    this.delivery =
        Workflow.newLocalActivityStub(
            ExecutionActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(options.deliveryRpcDeadline().plusSeconds(20))
                .setScheduleToCloseTimeout(options.deliveryRetryWindow())
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .build())
                .build());
  }

  CallbackState run(String executionId) {
    CallbackState[] state = new CallbackState[1];
    Workflow.newDetachedCancellationScope(
            () -> {
              try {
                state[0] = delivery.deliverCallback(executionId);
              } catch (ActivityFailure failure) {
                system.abandonCallback(executionId, AgentOutcomes.rootMessage(failure));
                state[0] = CallbackState.FAILED;
              }
            })
        .run();
    return state[0];
  }

  /** Options of the store steps: retried until the database is back. */
  static LocalActivityOptions storeStepOptions() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofMillis(200))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(30))
                .build())
        .build();
  }
}
