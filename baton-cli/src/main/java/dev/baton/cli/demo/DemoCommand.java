package dev.baton.cli.demo;

import dev.baton.caller.AgentCall;
import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baton demo}: starts the embedded stack, runs a caller workflow that calls two agents in
 * parallel through the task-token handshake, and prints each result with its execution id and the
 * measured handshake overhead. Uses fresh ports and a temporary data directory, so it runs beside a
 * {@code baton server}.
 */
@Command(
    name = "demo",
    description =
        "Runs a sample caller workflow that calls two agents in parallel through Baton, on a"
            + " throwaway embedded stack, and prints the results.")
public final class DemoCommand implements Callable<Integer> {
  private static final String QUEUE = "baton-demo-caller";

  @Spec CommandSpec spec;

  @Option(
      names = "--agents",
      defaultValue = "${env:BATON_AGENTS:-agents}",
      description = "Agent YAML file or directory (env BATON_AGENTS; default ${DEFAULT-VALUE}).")
  Path agents;

  @Option(
      names = "--message",
      defaultValue =
          "Baton lets a Temporal workflow wait for an AI agent without holding a worker slot."
              + " The caller's activity hands over its task token and returns at once.",
      description = "The message both agents receive.")
  String message;

  @Option(names = "--verbose", description = "Show the server's log lines too.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (!verbose) {
      // The demo prints its own story; the server's per-step log lines would drown it.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.baton"))
          .setLevel(ch.qos.logback.classic.Level.WARN);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path home = Files.createTempDirectory("baton-demo");
    try {
      return run(home, out);
    } finally {
      deleteRecursively(home);
    }
  }

  private int run(Path home, PrintWriter out) {
    ServerConfig config =
        ServerConfig.builder(home)
            .port(0)
            .embeddedTemporalPort(0)
            .metricsPort(0)
            .agentsPath(agents)
            .build();
    long started = System.nanoTime();
    try (BatonServer server = BatonServer.start(config);
        BatonClient baton = BatonClient.connect("127.0.0.1:" + server.port())) {
      out.printf(
          "Embedded stack up in %d ms: Baton gRPC on 127.0.0.1:%d, Temporal on %s%n",
          (System.nanoTime() - started) / 1_000_000, server.port(), server.temporalTarget());
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(server.temporalNamespace()).build());
      WorkerFactory workers = WorkerFactory.newInstance(client);
      try {
        Worker worker = workers.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(DemoWorkflowImpl.class);
        worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
        workers.start();
        List<AgentCall> calls =
            List.of(AgentCall.of("summarize", message), AgentCall.of("shout", message));
        // One untimed round first, so the numbers below are not the JVM's warm-up.
        newWorkflow(client, "warm-up").callInParallel(List.of(AgentCall.of("shout", "warm up")));
        out.printf("Calling agents %s and %s in parallel...%n", "summarize", "shout");
        out.flush();
        DemoReports.print(out, newWorkflow(client, "calls").callInParallel(calls));
      } finally {
        workers.shutdownNow();
        service.shutdownNow();
      }
    }
    return 0;
  }

  private static DemoWorkflow newWorkflow(WorkflowClient client, String purpose) {
    return client.newWorkflowStub(
        DemoWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(QUEUE)
            .setWorkflowId("baton-demo-" + purpose + "-" + System.currentTimeMillis())
            .build());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
