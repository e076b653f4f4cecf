package dev.baton.cli;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import dev.baton.cli.fault.FaultCallerWorkflow;
import dev.baton.cli.fault.FaultCallerWorkflowImpl;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A caller's worker in the test JVM, on a {@link RealBatonServer}'s Temporal: its workflows call
 * agents through the caller SDK ({@code callAgent} with the recommended options for a 30 s agent).
 */
public final class TestCaller implements AutoCloseable {
  private static final String QUEUE = "test-caller";

  private final RealBatonServer server;
  private final BatonClient baton;
  private final WorkerFactory workers;

  private TestCaller(RealBatonServer server, String apiKey) {
    this.server = server;
    this.baton = BatonClient.connect(server.address(), Duration.ofSeconds(10), apiKey);
    this.workers = WorkerFactory.newInstance(server.server().temporalClient());
    Worker worker = workers.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(FaultCallerWorkflowImpl.class);
    worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
    workers.start();
  }

  public static TestCaller start(RealBatonServer server) {
    return new TestCaller(server, null);
  }

  /** A caller that sends {@code apiKey} with its Creates, for a server that requires API keys. */
  public static TestCaller start(RealBatonServer server, String apiKey) {
    return new TestCaller(server, apiKey);
  }

  /** Starts a caller workflow that calls {@code call}; its result comes from the returned stub. */
  public WorkflowStub call(String workflowId, AgentCall call) {
    FaultCallerWorkflow workflow =
        server
            .server()
            .temporalClient()
            .newWorkflowStub(
                FaultCallerWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build());
    WorkflowClient.start(workflow::call, call);
    return WorkflowStub.fromTyped(workflow);
  }

  /** The execution the caller workflow {@code workflowId} created, once it exists. */
  public Optional<Execution> executionOf(String workflowId) {
    return server
        .server()
        .store()
        .list(new ExecutionQuery(EnumSet.allOf(ExecutionPhase.class), null, 200, null))
        .executions()
        .stream()
        .filter(e -> e.spec().caller() != null && workflowId.equals(e.spec().caller().workflowId()))
        .findFirst();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    baton.close();
  }
}
