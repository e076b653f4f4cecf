package dev.baton.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded Temporal: its time runs with the wall clock, its lock log stays empty, and its
 * in-process channel reaches the same services as its port, with the same rules.
 */
class EmbeddedTemporalTest {
  private static final String QUEUE = "embedded-temporal-test";

  @ActivityInterface
  public interface Echo {
    String echo(String value);
  }

  @WorkflowInterface
  public interface EchoWorkflow {
    @WorkflowMethod
    String run(String value, long sleepMillis);
  }

  @WorkflowInterface
  public interface GateWorkflow {
    @WorkflowMethod
    String await();

    @SignalMethod
    void open(String value);
  }

  public static final class GateWorkflowImpl implements GateWorkflow {
    private String value;

    @Override
    public String await() {
      Workflow.await(() -> value != null);
      return value;
    }

    @Override
    public void open(String value) {
      this.value = value;
    }
  }

  public static final class EchoWorkflowImpl implements EchoWorkflow {
    @Override
    public String run(String value, long sleepMillis) {
      Workflow.sleep(Duration.ofMillis(sleepMillis));
      Echo echo =
          Workflow.newActivityStub(
              Echo.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
      return echo.echo(value);
    }
  }

  private EmbeddedTemporal temporal;
  private WorkflowServiceStubs service;
  private WorkerFactory workers;
  private WorkflowClient client;

  @BeforeEach
  void start() {
    temporal = EmbeddedTemporal.start(0);
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
    client = WorkflowClient.newInstance(service);
    workers = WorkerFactory.newInstance(client);
    Worker worker = workers.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class, GateWorkflowImpl.class);
    worker.registerActivitiesImplementations((Echo) value -> value);
    workers.start();
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
    service.shutdownNow();
    temporal.close();
  }

  @Test
  void theTimerLockLogKeepsNothingWhateverRuns() throws Exception {
    // given a fresh test server keeps its lock log
    try (TestServicesStarter plain = new TestServicesStarter(true, 0)) {
      assertThat(lockLog(plain)).isNotEmpty();
    }

    // when 40 workflows, each with a timer and an activity, run on the embedded one
    List<CompletableFuture<String>> runs =
        IntStream.range(0, 40)
            .mapToObj(i -> WorkflowClient.execute(workflow("logged-" + i)::run, "v" + i, 10L))
            .toList();

    // then they all complete, and its lock log holds nothing (the test server's own: 6 per run)
    assertThat(runs.stream().map(CompletableFuture::join))
        .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> "v" + i).toList());
    assertThat(lockLog(servicesOf(temporal))).isEmpty();
  }

  @Test
  void timeRunsWithTheWallClockNotSkipping() {
    long started = System.nanoTime();

    String result = workflow("sleeper").run("woke", 1_500L);

    assertThat(result).isEqualTo("woke");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
  }

  @Test
  void aWorkerOnTheInProcessChannelServesWorkflowsStartedThroughThePort() {
    // given only a worker on the in-process channel polls its queue
    WorkflowServiceStubs inProcess = inProcessStubs();
    WorkerFactory inProcessWorkers =
        WorkerFactory.newInstance(WorkflowClient.newInstance(inProcess));
    Worker worker = inProcessWorkers.newWorker("in-process-queue");
    worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
    worker.registerActivitiesImplementations((Echo) value -> "in-process " + value);
    inProcessWorkers.start();
    try {
      // when a client on the port runs a workflow on that queue
      String result =
          client
              .newWorkflowStub(
                  EchoWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("in-process-queue")
                      .setWorkflowId("through-both")
                      .build())
              .run("hello", 10L);

      // then the in-process worker ran it: both reach the same services
      assertThat(result).isEqualTo("in-process hello");
    } finally {
      inProcessWorkers.shutdownNow();
      inProcess.shutdownNow();
    }
  }

  @Test
  void workflowTasksStayOffStickyQueuesOnTheInProcessChannelToo() {
    // given a workflow whose first task an in-process worker with a sticky cache completed
    WorkflowServiceStubs inProcess = inProcessStubs();
    WorkerFactory inProcessWorkers =
        WorkerFactory.newInstance(WorkflowClient.newInstance(inProcess));
    inProcessWorkers
        .newWorker("gate-queue")
        .registerWorkflowImplementationTypes(GateWorkflowImpl.class);
    inProcessWorkers.start();
    GateWorkflow gate =
        client.newWorkflowStub(
            GateWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue("gate-queue").setWorkflowId("gate").build());
    WorkflowClient.start(gate::await);
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> completedWorkflowTasks("gate") == 1);

    // when that worker is gone and another one polls the queue through the port
    inProcessWorkers.shutdownNow();
    inProcess.shutdownNow();
    WorkerFactory replacement = WorkerFactory.newInstance(client);
    replacement.newWorker("gate-queue").registerWorkflowImplementationTypes(GateWorkflowImpl.class);
    replacement.start();
    try {
      gate.open("opened");

      // then the next task reached it (a sticky queue would have kept it for the dead worker)
      assertThat(
              client
                  .newUntypedWorkflowStub("gate")
                  .getResult(10, java.util.concurrent.TimeUnit.SECONDS, String.class))
          .isEqualTo("opened");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the workflow task stayed on the dead worker's sticky queue", e);
    } finally {
      replacement.shutdownNow();
    }
  }

  @Test
  void theInProcessChannelRejectsMessagesOverTheTransportLimitAsThePortDoes() {
    WorkflowServiceStubs inProcess = inProcessStubs();
    try {
      String tooLarge = "x".repeat(5 * 1024 * 1024);
      EchoWorkflow stub =
          WorkflowClient.newInstance(inProcess)
              .newWorkflowStub(
                  EchoWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(QUEUE)
                      .setWorkflowId("too-large")
                      .build());

      assertThatThrownBy(() -> WorkflowClient.start(stub::run, tooLarge, 0L))
          .hasStackTraceContaining("RESOURCE_EXHAUSTED");
    } finally {
      inProcess.shutdownNow();
    }
  }

  private WorkflowServiceStubs inProcessStubs() {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setChannel(temporal.inProcessChannel()).build());
  }

  private long completedWorkflowTasks(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .count();
  }

  private EchoWorkflow workflow(String id) {
    return client.newWorkflowStub(
        EchoWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  private static TestServicesStarter servicesOf(EmbeddedTemporal temporal) throws Exception {
    return (TestServicesStarter) read(temporal, "services");
  }

  private static List<?> lockLog(TestServicesStarter services) throws Exception {
    return (List<?>) read(read(services, "selfAdvancingTimer"), "lockEvents");
  }

  private static Object read(Object owner, String name) throws Exception {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }
}
