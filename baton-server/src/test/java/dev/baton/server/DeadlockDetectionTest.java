package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workflow task whose thread holds on for a while, as on a machine starved of CPU, is not failed
 * as a deadlock on the execution workers, as it is with the SDK's default of one second.
 */
class DeadlockDetectionTest {
  /** Longer than the SDK's default detection timeout, well within Baton's. */
  private static final long HOLD_MILLIS = 1_500;

  private TestWorkflowEnvironment env;

  @WorkflowInterface
  public interface HoldingWorkflow {
    @WorkflowMethod
    String run();
  }

  public static final class HoldingWorkflowImpl implements HoldingWorkflow {
    @Override
    public String run() {
      try {
        // Stands for a thread that waits for a core: the detector measures the wall time a
        // workflow thread keeps control.
        Thread.sleep(HOLD_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "done";
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theExecutionWorkersLetAWorkflowThreadHoldOnForLongerThanTheSdkDefault() throws Exception {
    assertThat(ServerWiring.DEADLOCK_DETECTION.toMillis()).isGreaterThan(HOLD_MILLIS);
    WorkflowStub workflow = started("baton-options", ServerWiring.executionWorkerOptions());

    // A failed task would be retried, and fail, again and again: the result would never come.
    assertThat(workflow.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("done");
    assertThat(failedWorkflowTasks(workflow)).isZero();
  }

  @Test
  void withTheSdkDefaultTheSameWorkflowTaskFailsAsADeadlock() {
    WorkflowStub workflow = started("sdk-defaults", WorkerOptions.getDefaultInstance());

    await().atMost(Duration.ofSeconds(30)).until(() -> failedWorkflowTasks(workflow) > 0);
    workflow.terminate("the test saw what it needed");
  }

  private WorkflowStub started(String queue, WorkerOptions options) {
    Worker worker = env.newWorker(queue, options);
    worker.registerWorkflowImplementationTypes(HoldingWorkflowImpl.class);
    env.start();
    WorkflowStub workflow =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(
                "HoldingWorkflow", WorkflowOptions.newBuilder().setTaskQueue(queue).build());
    workflow.start();
    return workflow;
  }

  private long failedWorkflowTasks(WorkflowStub workflow) {
    WorkflowClient client = env.getWorkflowClient();
    return client.fetchHistory(workflow.getExecution().getWorkflowId()).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
        .count();
  }
}
