package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import dev.baton.crypto.BatonPayloadCodec;
import dev.baton.crypto.KeyRing;
import dev.baton.server.BatonServer;
import dev.baton.server.PayloadEncryption;
import dev.baton.server.ServerConfig;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The developer guide's encrypted-results worker, against a server with payload keys and {@code
 * --encrypt-caller-results}: the caller's workflow reads the agent's answer, and its history holds
 * none of the message or the answer in plaintext.
 */
class EncryptedResultsWorkerFactoryTest {
  private static final String TASK_QUEUE = "baton-examples-encrypted";
  private static final String MESSAGE = "Confidential marker 4c9e stays sealed. Nobody reads it.";
  private static final String FIRST_SENTENCE = "Confidential marker 4c9e stays sealed.";

  @TempDir Path home;
  @TempDir Path keys;

  @Test
  void callerWorkflowReadsTheEncryptedResultAndItsHistoryHoldsNoPlaintext() throws Exception {
    Path keyFile = keys.resolve("payload-keys");
    Files.writeString(keyFile, "k1:" + Base64.getEncoder().encodeToString(KeyRing.newKey()) + "\n");
    Path agents = home.resolve("agents");
    EmbeddedBaton.copyAgents(agents);
    ServerConfig config =
        ServerConfig.builder(home)
            .port(0)
            .embeddedTemporalPort(0)
            .metricsPort(0)
            .agentsPath(agents)
            .payloadEncryption(new PayloadEncryption(keyFile, null, true))
            .build();

    try (BatonServer server = BatonServer.start(config);
        BatonClient baton = BatonClient.connect("127.0.0.1:" + server.port())) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
      WorkerFactory factory =
          EncryptedResultsWorkerFactory.create(service, server.temporalNamespace(), keyFile);
      try {
        Worker worker = factory.newWorker(TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(SingleCallWorkflowImpl.class);
        worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
        factory.start();
        String workflowId = "encrypted-single";
        SingleCallWorkflow workflow =
            factory
                .getWorkflowClient()
                .newWorkflowStub(
                    SingleCallWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setTaskQueue(TASK_QUEUE)
                        .setWorkflowId(workflowId)
                        .build());

        String answer = workflow.summarize(MESSAGE);

        assertThat(answer.strip()).isEqualTo(FIRST_SENTENCE + "\n(8 words)");
        History history = rawHistory(service, server.temporalNamespace(), workflowId);
        // Baton completed the caller's activity with a result encrypted with the server's key.
        List<Payload> activityResult =
            history.getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                .map(e -> e.getActivityTaskCompletedEventAttributes().getResult())
                .flatMap(result -> result.getPayloadsList().stream())
                .toList();
        assertThat(activityResult)
            .isNotEmpty()
            .allSatisfy(
                payload -> {
                  assertThat(BatonPayloadCodec.isEncrypted(payload)).isTrue();
                  assertThat(payload.getMetadataOrThrow(BatonPayloadCodec.KEY_ID).toStringUtf8())
                      .isEqualTo("k1");
                });
        String raw = new String(history.toByteArray(), StandardCharsets.ISO_8859_1);
        assertThat(raw).contains(BatonPayloadCodec.ENCODING); // the scan sees the payloads
        assertThat(raw).doesNotContain("marker 4c9e", "8 words");
      } finally {
        factory.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  /** The caller workflow's history as Temporal stores it, payloads undecoded. */
  private static History rawHistory(
      WorkflowServiceStubs service, String namespace, String workflowId) {
    History history =
        service
            .blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(namespace)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .setMaximumPageSize(1000)
                    .build())
            .getHistory();
    List<HistoryEvent> events = history.getEventsList();
    assertThat(events.get(events.size() - 1).getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    return history;
  }
}
