package dev.baton.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's test server with a caller workflow whose one activity hands out its real task token
 * and waits for it to be completed, for the tests of what Baton sends with that token.
 */
final class CallerHandOff implements AutoCloseable {
  private static final String QUEUE = "callers";
  private static final BlockingQueue<byte[]> TOKENS = new LinkedBlockingQueue<>();

  final TestWorkflowEnvironment env;
  final WorkflowClient client;

  CallerHandOff() {
    TOKENS.clear();
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(CallerImpl.class);
    worker.registerActivitiesImplementations(
        (HandOff)
            () -> {
              TOKENS.add(Activity.getExecutionContext().getTaskToken());
              Activity.getExecutionContext().doNotCompleteOnReturn();
              return null;
            });
    env.start();
    client = env.getWorkflowClient();
  }

  /** Starts a caller workflow and returns the task token its activity handed off. */
  byte[] token(String workflowId) throws InterruptedException {
    WorkflowClient.start(
        client.newWorkflowStub(
                Caller.class,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build())
            ::call);
    byte[] token = TOKENS.poll(30, TimeUnit.SECONDS);
    assertThat(token).as("the caller's activity handed off its token").isNotNull();
    return token;
  }

  /** Completes the caller's activity through {@code env} with Baton's own delivery. */
  CallbackDelivery delivery() {
    return new CallbackDelivery(
        env.getWorkflowServiceStubs(),
        client.getOptions().getDataConverter(),
        Duration.ofSeconds(10),
        "test");
  }

  @Override
  public void close() {
    env.close();
  }

  @ActivityInterface
  public interface HandOff {
    AgentResult handOff();
  }

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    String call();
  }

  public static final class CallerImpl implements Caller {
    private final HandOff handOff =
        Workflow.newActivityStub(
            HandOff.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

    @Override
    public String call() {
      return handOff.handOff().output();
    }
  }
}
