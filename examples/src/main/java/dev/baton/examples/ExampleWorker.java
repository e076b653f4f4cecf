package dev.baton.examples;

import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.UUID;

/**
 * A caller's worker as you would run one: it hosts the example workflows and Baton's agent-call
 * activity, and starts workflows on its task queue.
 *
 * <p>{@link #fromEnvironment()} reads {@code TEMPORAL_ADDRESS} (default {@code 127.0.0.1:7233}),
 * {@code TEMPORAL_NAMESPACE} ({@code default}) and {@code BATON_ADDRESS} ({@code 127.0.0.1:7234}):
 * the addresses of a local {@code ./baton server}.
 */
public final class ExampleWorker implements AutoCloseable {
  public static final String TASK_QUEUE = "baton-examples";

  private final BatonClient baton;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  private ExampleWorker(String temporalAddress, String namespace, String batonAddress) {
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporalAddress).build());
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    factory = WorkerFactory.newInstance(client);

    BatonClient baton = BatonClient.connect(batonAddress);
    Worker worker = factory.newWorker(TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        SingleCallWorkflowImpl.class,
        ParallelCallsWorkflowImpl.class,
        TimeoutFallbackWorkflowImpl.class);
    worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
    factory.start();

    this.baton = baton;
  }

  /** Starts a worker against the given Temporal frontend, namespace and Baton server. */
  public static ExampleWorker start(String temporalAddress, String namespace, String batonAddress) {
    return new ExampleWorker(temporalAddress, namespace, batonAddress);
  }

  /** Starts a worker against the addresses in the environment (see the class comment). */
  public static ExampleWorker fromEnvironment() {
    return start(
        env("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
        env("TEMPORAL_NAMESPACE", "default"),
        env("BATON_ADDRESS", BatonClient.DEFAULT_TARGET));
  }

  /** A stub that starts a new workflow of {@code type} on this worker's task queue. */
  public <T> T newWorkflow(Class<T> type, String idPrefix) {
    return client.newWorkflowStub(
        type,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TASK_QUEUE)
            .setWorkflowId(idPrefix + "-" + UUID.randomUUID())
            .build());
  }

  @Override
  public void close() {
    factory.shutdown();
    service.shutdown();
    baton.close();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
