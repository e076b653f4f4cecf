package dev.baton.execution;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;

/** See {@link ExecutionWorkflow}. Every terminal path ends in one delivery step. */
public final class ExecutionWorkflowImpl implements ExecutionWorkflow {
  private final ExecutionWorkflowOptions options;
  private final ExecutionActivities system;
  private final DeliveryStep delivery;
  private CancellationScope agentScope;
  private String cancelReason;

  public ExecutionWorkflowImpl(ExecutionWorkflowOptions options) {
    this.options = options;
    // Store steps retry until the database is back: an execution must not end half-recorded.
    this.system =
        Workflow.newLocalActivityStub(ExecutionActivities.class, DeliveryStep.storeStepOptions());
    this.delivery = new DeliveryStep(options, system);
  }

  @Override
  public CallbackState run(String executionId) {
    AgentInvocation invocation = system.begin(executionId);
    if (invocation != null) {
      AgentOutcome outcome = runAgent(invocation);
      Workflow.newDetachedCancellationScope(() -> system.finish(executionId, outcome)).run();
    }
    return delivery.run(executionId);
  }

  @Override
  public void cancel(String reason) {
    cancelReason = reason;
    if (agentScope != null) {
      agentScope.cancel(reason);
    }
  }

  private AgentOutcome runAgent(AgentInvocation invocation) {
    AgentActivities agent =
        Workflow.newActivityStub(
            AgentActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(invocation.taskQueue())
                .setScheduleToCloseTimeout(invocation.timeout().plus(options.agentDeadlineGrace()))
                .setHeartbeatTimeout(options.agentHeartbeatTimeout())
                // Wait for the runner to confirm it stopped the agent before recording CANCELLED.
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(options.agentMaxAttempts())
                        .setDoNotRetry(
                            ExecutionError.AGENT_FAILED,
                            ExecutionError.AGENT_TIMEOUT,
                            ExecutionError.AGENT_NOT_RUNNABLE,
                            ExecutionError.CALLER_CANCELLED,
                            ExecutionError.CALLER_GONE)
                        .build())
                .build());
    AgentOutput[] output = new AgentOutput[1];
    agentScope = Workflow.newCancellationScope(() -> output[0] = agent.run(invocation));
    if (cancelReason != null) {
      return AgentOutcome.cancelled(cancelReason);
    }
    try {
      agentScope.run();
      return AgentOutcome.completed(output[0].output(), output[0].structuredOutput());
    } catch (ActivityFailure failure) {
      return AgentOutcomes.of(failure, invocation, cancelReason);
    } catch (CanceledFailure cancelled) {
      return AgentOutcome.cancelled(reasonOr("execution cancelled"));
    }
  }

  private String reasonOr(String fallback) {
    return cancelReason == null ? fallback : cancelReason;
  }
}
