package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A caller whose activity hands its real task token to the test instead of to Baton, and leaves the
 * activity open: the test then sends the token to Baton itself, whole or damaged.
 */
final class TokenHolder {
  private TokenHolder() {}

  /** A live caller activity's token and identity. */
  record Captured(
      byte[] token,
      String namespace,
      String workflowId,
      String runId,
      String activityId,
      int attempt) {}

  @WorkflowInterface
  public interface HolderWorkflow {
    /** Returns what completes the held activity. */
    @WorkflowMethod
    AgentResult hold();
  }

  @ActivityInterface
  public interface HolderActivities {
    @ActivityMethod(name = "HoldToken")
    AgentResult hold();
  }

  public static final class HolderWorkflowImpl implements HolderWorkflow {
    @Override
    public AgentResult hold() {
      return Workflow.newActivityStub(
              HolderActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(5))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build())
          .hold();
    }
  }

  /** Keeps each held activity's token, by the holder's workflow id. */
  static final class Tokens implements HolderActivities {
    private final Map<String, Captured> byWorkflowId = new ConcurrentHashMap<>();

    @Override
    public AgentResult hold() {
      ActivityExecutionContext context = Activity.getExecutionContext();
      ActivityInfo info = context.getInfo();
      byWorkflowId.put(
          info.getWorkflowId(),
          new Captured(
              context.getTaskToken(),
              info.getNamespace(),
              info.getWorkflowId(),
              info.getWorkflowRunId(),
              info.getActivityId(),
              info.getAttempt()));
      context.doNotCompleteOnReturn();
      return null;
    }

    Optional<Captured> of(String workflowId) {
      return Optional.ofNullable(byWorkflowId.get(workflowId));
    }
  }
}
