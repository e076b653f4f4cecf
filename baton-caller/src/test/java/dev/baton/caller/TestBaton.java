package dev.baton.caller;

import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Baton server (embedded Temporal, SQLite file, gRPC on a free loopback port) with test
 * agents, plus a caller worker in its own Temporal client, as a user would run them.
 */
final class TestBaton implements AutoCloseable {
  static final String CALLER_QUEUE = "caller-test";

  final BatonServer server;
  final BatonClient baton;
  final WorkflowServiceStubs callerService;
  final WorkflowClient callerClient;
  final WorkerFactory callerWorkers;

  private TestBaton(Path home) {
    writeAgents(home.resolve("agents"));
    server = BatonServer.start(ServerConfig.builder(home).port(0).embeddedTemporalPort(0).build());
    baton = BatonClient.connect("127.0.0.1:" + server.port());
    callerService =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
    callerClient =
        WorkflowClient.newInstance(
            callerService,
            WorkflowClientOptions.newBuilder().setNamespace(server.temporalNamespace()).build());
    callerWorkers = WorkerFactory.newInstance(callerClient);
    Worker worker = callerWorkers.newWorker(CALLER_QUEUE);
    worker.registerWorkflowImplementationTypes(CallerWorkflowImpl.class);
    worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
    callerWorkers.start();
  }

  static TestBaton start(Path home) {
    return new TestBaton(home);
  }

  CallerWorkflow caller(String workflowId) {
    return callerClient.newWorkflowStub(
        CallerWorkflow.class,
        io.temporal.client.WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(CALLER_QUEUE)
            .build());
  }

  private static void writeAgents(Path dir) {
    try {
      Files.createDirectories(dir);
      agent(dir, "shout", "tr a-z A-Z", "30s");
      agent(dir, "fail", "echo 'the model refused: quota exceeded' >&2; exit 3", "30s");
      agent(dir, "slow", "sleep \"${BATON_SLEEP:-4}\"; cat", "30s");
      agent(dir, "sleepy", "sleep 600", "2s");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void agent(Path dir, String name, String script, String timeout)
      throws IOException {
    Files.writeString(
        dir.resolve(name + ".yaml"),
        "name: "
            + name
            + "\nrunner: command\ntimeout: "
            + timeout
            + "\nsettings:\n  command: [\"sh\", \"-c\", "
            + quote(script)
            + "]\n");
  }

  private static String quote(String script) {
    return "'" + script.replace("'", "''") + "'";
  }

  @Override
  public void close() {
    callerWorkers.shutdownNow();
    callerService.shutdownNow();
    baton.close();
    server.close();
  }
}
