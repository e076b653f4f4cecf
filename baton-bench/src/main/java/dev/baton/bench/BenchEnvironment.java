package dev.baton.bench;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.caller.AgentCallActivitiesImpl;
import dev.baton.caller.BatonClient;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.server.limits.ServerLimits;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A Baton server (embedded Temporal, SQLite) with trivial command agents, and a caller process's
 * Temporal client with two caller workers: a tuned one for latency scenarios and one limited to
 * {@link #LIMITED_SLOTS} activity slots.
 */
final class BenchEnvironment implements AutoCloseable {
  static final String INSTANT_AGENT = "instant";
  static final String GATED_AGENT = "gated";
  static final String CALLER_QUEUE = "bench-callers";
  static final String LIMITED_QUEUE = "bench-10-slots";
  static final int LIMITED_SLOTS = 10;

  /** Threads completing baseline (a)'s tokens: more than the concurrent callers of any scenario. */
  static final int COMPLETER_THREADS = 128;

  /** Caller worker settings for the latency scenarios (documented in the report). */
  static final int WORKFLOW_POLLERS = 16;

  static final int ACTIVITY_POLLERS = 8;
  static final int CALLER_ACTIVITY_SLOTS = 1000;
  static final int WORKFLOW_CACHE = 4000;

  final BatonServer server;

  /** While this file is missing, the gated agent waits (its executions stay pending). */
  final Path gate;

  final long serverStartMillis;
  final WorkflowClient client;
  final SlotGauge callerSlots = new SlotGauge();
  final SlotGauge limitedSlots = new SlotGauge();
  private final BatonClient baton;
  private final ManagedChannel channel;
  private final WorkflowServiceStubs service;
  private final WorkerFactory workers;
  private final ScheduledExecutorService completer;

  /**
   * @param agentSlots how many agents the server runs at once ({@code --agent-slots})
   * @param eagerStart the server's {@code --eager-start}
   * @param temporalAddress an external Temporal to use, or {@code null} for the embedded one
   */
  BenchEnvironment(
      Path home,
      Set<Long> agentDelaysMillis,
      int agentSlots,
      boolean eagerStart,
      String temporalAddress) {
    gate = home.resolve("gate").toAbsolutePath();
    writeAgents(home.resolve("agents"), agentDelaysMillis, gate);
    long start = System.nanoTime();
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .temporalAddress(temporalAddress)
                .metricsPort(0)
                .agentSlots(agentSlots)
                .eagerStart(eagerStart)
                // The blocking baseline holds one Watch stream per concurrent caller, all from
                // this process: the default per-client cap would refuse them.
                .serverLimits(ServerLimits.defaults().withMaxWatchStreams(0))
                .build());
    serverStartMillis = (System.nanoTime() - start) / 1_000_000;
    baton = BatonClient.connect("127.0.0.1:" + server.port());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
    client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder().setNamespace(server.temporalNamespace()).build());
    // Baseline (a) completes tokens on these threads; a pool as small as 2 made its own completions
    // queue at 100 concurrent callers (its handshake p50 rose above Baton's).
    completer = Executors.newScheduledThreadPool(COMPLETER_THREADS);
    workers =
        WorkerFactory.newInstance(
            client, WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(WORKFLOW_CACHE).build());
    register(
        workers.newWorker(
            CALLER_QUEUE,
            WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(WORKFLOW_POLLERS)
                .setMaxConcurrentActivityTaskPollers(ACTIVITY_POLLERS)
                .setMaxConcurrentActivityExecutionSize(CALLER_ACTIVITY_SLOTS)
                .build()),
        callerSlots);
    register(
        workers.newWorker(
            LIMITED_QUEUE,
            WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(WORKFLOW_POLLERS)
                .setMaxConcurrentActivityExecutionSize(LIMITED_SLOTS)
                .build()),
        limitedSlots);
    workers.start();
  }

  /** Creates an execution of the instant agent without a caller (for the CLI round trip). */
  String createExecution() {
    return AgentExecutionServiceGrpc.newBlockingStub(channel)
        .create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent(INSTANT_AGENT).setMessage("ping"))
                .build())
        .getMetadata()
        .getId();
  }

  static String delayAgent(long delayMillis) {
    return delayMillis == 0 ? INSTANT_AGENT : "delay-" + delayMillis;
  }

  private void register(Worker worker, SlotGauge gauge) {
    worker.registerWorkflowImplementationTypes(BenchWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new CountingAgentCalls(new AgentCallActivitiesImpl(baton), gauge),
        new BaselineActivitiesImpl(
            client.newActivityCompletionClient(),
            completer,
            AgentExecutionServiceGrpc.newBlockingStub(channel),
            gauge));
  }

  private static void writeAgents(Path dir, Set<Long> delays, Path gate) {
    try {
      Files.createDirectories(dir);
      writeEchoAgent(dir, INSTANT_AGENT, 0);
      writeCommandAgent(dir, GATED_AGENT, "while [ ! -f " + gate + " ]; do sleep 2; done; cat");
      for (long delay : delays) {
        if (delay > 0) {
          writeEchoAgent(dir, delayAgent(delay), delay);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeEchoAgent(Path dir, String name, long delayMillis) throws IOException {
    Files.writeString(
        dir.resolve(name + ".yaml"),
        "name: "
            + name
            + "\nrunner: echo\ntimeout: 30m\nsettings:\n  delay: "
            + delayMillis
            + "ms\n");
  }

  private static void writeCommandAgent(Path dir, String name, String script) throws IOException {
    Files.writeString(
        dir.resolve(name + ".yaml"),
        "name: "
            + name
            + "\nrunner: command\ntimeout: 30m\nsettings:\n  command: [\"sh\", \"-c\", '"
            + script
            + "']\n");
  }

  @Override
  public void close() {
    workers.shutdownNow();
    completer.shutdownNow();
    service.shutdownNow();
    channel.shutdownNow();
    baton.close();
    server.close();
  }
}
