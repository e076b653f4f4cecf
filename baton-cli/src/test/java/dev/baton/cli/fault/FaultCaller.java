package dev.baton.cli.fault;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A caller's Temporal worker inside the test JVM, connected to an external Temporal and handing its
 * agent calls to a Baton server in another process, as a user's worker would.
 */
final class FaultCaller implements AutoCloseable {
  private static final String QUEUE = "fault-caller";

  private final BatonClient baton;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory workers;

  private FaultCaller(String temporalTarget, String batonAddress) {
    baton = BatonClient.connect(batonAddress);
    // Lazily connected stubs reconnect by themselves when Temporal comes back.
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).build());
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    workers = WorkerFactory.newInstance(client);
    Worker worker = workers.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(FaultCallerWorkflowImpl.class);
    worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
    workers.start();
  }

  static FaultCaller start(String temporalTarget, String batonAddress) {
    return new FaultCaller(temporalTarget, batonAddress);
  }

  /** Starts a caller workflow that calls {@code call}; its result comes from the returned stub. */
  WorkflowStub call(String workflowId, AgentCall call) {
    FaultCallerWorkflow workflow =
        client.newWorkflowStub(
            FaultCallerWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build());
    WorkflowClient.start(workflow::call, call);
    return WorkflowStub.fromTyped(workflow);
  }

  WorkflowClient client() {
    return client;
  }

  /** How many events of each type the caller workflow's history holds. */
  Map<EventType, Long> historyCounts(String workflowId) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .collect(Collectors.groupingBy(HistoryEvent::getEventType, Collectors.counting()));
  }

  @Override
  public void close() {
    workers.shutdownNow();
    service.shutdownNow();
    baton.close();
  }
}
