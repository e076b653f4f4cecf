package dev.baton.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded Temporal: its time runs with the wall clock, and its lock log stays empty. */
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
    worker.registerWorkflowImplementationTypes(EchoWorkflowImpl.class);
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
