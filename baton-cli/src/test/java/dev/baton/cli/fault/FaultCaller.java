package dev.baton.cli.fault;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
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

  /**
   * A workflow's state for a failure message: its status, pending activities (attempt, state, last
   * failure, last worker) and event types in order.
   */
  String diagnose(String workflowId) {
    try {
      DescribeWorkflowExecutionResponse description =
          service
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace("default")
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build());
      StringBuilder text =
          new StringBuilder(workflowId)
              .append(": ")
              .append(description.getWorkflowExecutionInfo().getStatus());
      for (PendingActivityInfo activity : description.getPendingActivitiesList()) {
        text.append("\n  pending ")
            .append(activity.getActivityType().getName())
            .append(" attempt=")
            .append(activity.getAttempt())
            .append(" state=")
            .append(activity.getState())
            .append(" lastWorker=")
            .append(activity.getLastWorkerIdentity())
            .append(" lastFailure=")
            .append(activity.getLastFailure().getMessage());
      }
      text.append("\n  events: ");
      client
          .fetchHistory(workflowId)
          .getEvents()
          .forEach(event -> text.append(event.getEventType().name().substring(11)).append(' '));
      return text.toString();
    } catch (RuntimeException e) {
      return workflowId + ": cannot describe: " + e;
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    service.shutdownNow();
    baton.close();
  }
}
