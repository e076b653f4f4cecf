package dev.baton.examples;

import dev.baton.crypto.BatonPayloadCodec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;

/**
 * How a caller's worker reads results from a Baton server started with {@code --payload-key-file}
 * and {@code --encrypt-caller-results}: the client its worker factory is built from decodes (and
 * encodes) payloads with {@link BatonPayloadCodec} and the server's keys. Register the workflows
 * and {@code new AgentCallActivitiesImpl(baton)} on a worker of this factory as in {@link
 * ExampleWorker}; start workflows and read their results with {@code factory.getWorkflowClient()},
 * which has the codec too.
 */
public final class EncryptedResultsWorkerFactory {

  private EncryptedResultsWorkerFactory() {}

  /**
   * @param service stubs of the Temporal frontend Baton uses
   * @param namespace the Temporal namespace of the caller's workflows
   * @param payloadKeyFile the Baton server's payload key file (lines {@code keyId:base64-key}), or
   *     a copy holding at least the keys the server encrypts with
   */
  public static WorkerFactory create(
      WorkflowServiceStubs service, String namespace, Path payloadKeyFile) {
    BatonPayloadCodec codec = BatonPayloadCodec.read(payloadKeyFile);
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setDataConverter(codec.dataConverter())
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    return factory;
  }
}
