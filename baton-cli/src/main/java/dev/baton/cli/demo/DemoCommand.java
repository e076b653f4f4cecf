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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code baton demo}: starts the embedded stack, runs a caller workflow that calls two agents in
 * parallel through the task-token handshake, and prints each result with its execution id and the
 * measured handshake overhead. With {@code OLLAMA_HOST} or {@code OPENAI_API_KEY} set it calls an
 * LLM agent (see {@link DemoAgents}), else the command agents. Uses fresh ports and a temporary
 * data directory, so it runs beside a {@code baton server}.
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

  @Option(
      names = "--command-agents",
      description =
          "Call the command agents (summarize, shout) even when OLLAMA_HOST or OPENAI_API_KEY"
              + " would select an LLM agent.")
  boolean commandAgents;

  /** Environment lookup: which model, if any, the demo uses. */
  Function<String, String> env = System::getenv;

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
    Optional<DemoAgents.Llm> llm = commandAgents ? Optional.empty() : DemoAgents.llm(env);
    if (llm.isPresent()) {
      out.printf(
          "Using LLM agent '%s': %s (unset OLLAMA_HOST and OPENAI_API_KEY, or pass"
              + " --command-agents, for the command agents)%n",
          DemoAgents.LLM_AGENT, llm.get().describe());
    }
    Path agentsPath =
        llm.isPresent() ? DemoAgents.writeLlmAgents(home.resolve("agents"), llm.get()) : agents;
    ServerConfig config =
        ServerConfig.builder(home)
            .port(0)
            .embeddedTemporalPort(0)
            .metricsPort(0)
            .agentsPath(agentsPath)
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
            llm.isPresent() ? DemoAgents.llmCalls(message) : DemoAgents.commandCalls(message);
        String warmUp = llm.isPresent() ? DemoAgents.WARM_UP_AGENT : "shout";
        // One untimed round first, so the numbers below are not the JVM's warm-up.
        newWorkflow(client, "warm-up").callInParallel(List.of(AgentCall.of(warmUp, "warm up")));
        out.printf(
            "Calling %s in parallel...%n",
            llm.isPresent()
                ? "agent " + DemoAgents.LLM_AGENT + " twice (a summary and a headline)"
                : "agents summarize and shout");
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
