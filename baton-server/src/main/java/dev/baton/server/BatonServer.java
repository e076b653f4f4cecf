package dev.baton.server;

import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.ReloadingAgentCatalog;
import dev.baton.agent.Secrets;
import dev.baton.agent.command.CommandRunner;
import dev.baton.agent.command.CommandRunnerOptions;
import dev.baton.agent.command.SessionLedger;
import dev.baton.agent.llm.LlmRunner;
import dev.baton.crypto.BatonPayloadCodec;
import dev.baton.execution.ExecutionChangeSignal;
import dev.baton.execution.ExecutionLauncher;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.ExecutionStore;
import dev.baton.metrics.BatonMetrics;
import dev.baton.server.auth.ApiKeyInterceptor;
import dev.baton.server.auth.AuthMode;
import dev.baton.server.grpc.AgentExecutionGrpcService;
import dev.baton.server.grpc.AgentGrpcService;
import dev.baton.server.http.BoundedReadiness;
import dev.baton.server.http.OpsHttpServer;
import dev.baton.server.limits.RateLimitInterceptor;
import dev.baton.server.limits.ServerLimits;
import dev.baton.server.limits.WatchStreamLimiter;
import dev.baton.server.temporal.TemporalConnection;
import dev.baton.store.Database;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Baton server: the gRPC API, the Temporal workers and the store. Closing it stops them
 * in reverse order; executions in flight continue when a server starts again (their workflows are
 * durable in Temporal, their state in the store).
 */
public final class BatonServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BatonServer.class);

  /** How long /readyz waits for its checks: within a probe's usual timeout. */
  static final Duration READINESS_BOUND = Duration.ofSeconds(2);

  private static final int MAX_WATCH_STREAMS = 1000;

  /** Where, under the home, the command agents running on this server are noted. */
  static final String COMMAND_AGENT_LEDGER = "run/command-agents";

  private final List<AutoCloseable> resources;
  private final Server grpc;
  private final TemporalConnection temporal;
  private final ExecutionStore store;
  private final ExecutionService executions;
  private final ReloadingAgentCatalog agents;
  private final int metricsPort;

  private BatonServer(
      List<AutoCloseable> resources,
      Server grpc,
      TemporalConnection temporal,
      ExecutionStore store,
      ExecutionService executions,
      ReloadingAgentCatalog agents,
      int metricsPort) {
    this.resources = resources;
    this.metricsPort = metricsPort;
    this.grpc = grpc;
    this.temporal = temporal;
    this.store = store;
    this.executions = executions;
    this.agents = agents;
  }

  /** Starts every part; on failure releases what was started and rethrows. */
  public static BatonServer start(ServerConfig config) {
    config.auth().checkListenAddress(config.host(), config.port());
    // Read now: a wrong certificate or key fails before anything starts.
    ServerCredentials credentials = config.tls().credentials();
    Clock clock = Clock.systemUTC();
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      Optional<BatonPayloadCodec> codec = config.payloadEncryption().codec();
      PrometheusMeterRegistry registry = ServerWiring.registry();
      // Temporal (the embedded server, the first RPCs) starts beside the agents and the database.
      BackgroundStart<TemporalConnection> temporalStart =
          BackgroundStart.begin(
              "baton-start-temporal",
              () ->
                  TemporalConnection.open(
                      config.temporalAddress(),
                      config.temporalSecurity(),
                      config.temporalNamespace(),
                      config.embeddedTemporalPort(),
                      ServerWiring.dataConverter(codec),
                      registry));
      resources.add(temporalStart);
      Secrets secrets = new Secrets(System.getenv(), config.secretsFile());
      // Before any agent runs here: stops the command agents a killed server left running.
      CommandRunnerOptions commandOptions = CommandRunnerOptions.defaults();
      SessionLedger ledger = SessionLedger.in(config.home().resolve(COMMAND_AGENT_LEDGER));
      ledger.stopOrphans(commandOptions.killGrace());
      CommandRunner commandRunner = new CommandRunner(commandOptions, secrets, ledger);
      resources.add(commandRunner::close);
      LlmRunner llmRunner = new LlmRunner(secrets);
      resources.add(llmRunner::close);
      AgentRunners runners = ServerWiring.runners(commandRunner, llmRunner);
      BatonMetrics metrics = new BatonMetrics(registry, clock);
      ReloadingAgentCatalog agents = ServerWiring.agents(config, runners, metrics);
      Database database = Database.open(config.databaseUrl());
      resources.add(database);
      ExecutionChangeSignal signal = new ExecutionChangeSignal();
      ExecutionStore store = ServerWiring.store(database, ServerWiring.tokenCipher(config), signal);
      DataConverter callerConverter = ServerWiring.callerConverter(config, codec);
      TemporalConnection temporal = temporalStart.join();
      ExecutionLauncher launcher = ServerWiring.launcher(temporal);
      ServerWiring.Workers workers =
          ServerWiring.workers(
              config,
              temporal,
              store,
              agents,
              runners,
              launcher,
              clock,
              metrics,
              callerConverter,
              resources);
      resources.add(
          () -> {
            workers.factory().shutdown();
            workers.factory().awaitTermination(10, TimeUnit.SECONDS);
          });
      resources.add(workers.eager());
      // Closed before the eager runs: a run stopped by the shutdown hands its agent to its
      // workflow's agent activity, which this server's workers must no longer poll for, or they
      // would start the agent again here only to be stopped with it.
      resources.add(() -> workers.factory().shutdown());
      ExecutionService executions =
          ServerWiring.executions(config, store, agents, launcher, workers.eager(), clock);
      ExecutorService watchThreads = watchThreads();
      resources.add(watchThreads::shutdownNow);
      HealthStatusManager health = new HealthStatusManager();
      Server grpc =
          startGrpc(
              config,
              credentials,
              new AgentExecutionGrpcService(
                  executions,
                  ServerWiring.watcher(config, store, signal),
                  watchThreads,
                  ServerWiring.inspector(config, temporal),
                  ServerWiring.callerCompletion(
                      config, temporal, store, launcher, metrics, callerConverter, clock)),
              new AgentGrpcService(agents),
              health);
      resources.add(() -> stopGrpc(grpc, health));
      workers.factory().start();
      resources.add(ServerWiring.startReconciler(config, store, launcher, clock));
      resources.add(ServerWiring.startStoreGauges(store, metrics, clock));
      resources.add(ServerWiring.startRetention(config, store, metrics, clock));
      resources.add(ServerWiring.startAgentReloads(config, agents));
      OpsHttpServer ops =
          OpsHttpServer.start(
              config.host(),
              config.metricsPort(),
              registry::scrape,
              BoundedReadiness.of(
                  () -> ServerWiring.readinessProblem(database, temporal), READINESS_BOUND));
      resources.add(ops);
      health.setStatus("", ServingStatus.SERVING);
      log.info(
          "baton server listening on {}:{} ({}, {}; metrics {}, temporal {} {} ({}), namespace {},"
              + " database {}, {} agents)",
          config.host(),
          grpc.getPort(),
          config.tls().describe(),
          config.auth().describe(),
          ops.port(),
          temporal.isEmbedded() ? "embedded at" : "at",
          temporal.target(),
          config.temporalSecurity().describe(),
          temporal.namespace(),
          redactPassword(config.databaseUrl()),
          agents.list().size());
      return new BatonServer(resources, grpc, temporal, store, executions, agents, ops.port());
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  /** The port the gRPC API listens on (useful when configured with port 0). */
  public int port() {
    return grpc.getPort();
  }

  /** The port of /metrics, /healthz and /readyz. */
  public int metricsPort() {
    return metricsPort;
  }

  /** host:port of the Temporal frontend caller workers should connect to. */
  public String temporalTarget() {
    return temporal.target();
  }

  public String temporalNamespace() {
    return temporal.namespace();
  }

  /** A client of the Temporal that runs this server's executions. */
  public WorkflowClient temporalClient() {
    return temporal.client();
  }

  public ExecutionStore store() {
    return store;
  }

  public ExecutionService executions() {
    return executions;
  }

  public AgentCatalog agents() {
    return agents;
  }

  /** Reads the agent files again now if they changed (as the periodic check does). */
  public ReloadingAgentCatalog.Reload reloadAgents() {
    return agents.reload();
  }

  /** Blocks until the gRPC server terminates. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  @Override
  public void close() {
    closeAll(resources);
    log.info("baton server stopped");
  }

  /** A JDBC URL fit for logs. */
  static String redactPassword(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private static ExecutorService watchThreads() {
    return new ThreadPoolExecutor(
        0,
        MAX_WATCH_STREAMS,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "baton-watch");
          thread.setDaemon(true);
          return thread;
        });
  }

  private static Server startGrpc(
      ServerConfig config,
      ServerCredentials credentials,
      AgentExecutionGrpcService executions,
      AgentGrpcService agents,
      HealthStatusManager health) {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(config.host(), config.port()), credentials)
            .addService(executions)
            .addService(agents)
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance());
    // Interceptors run in the reverse order of adding: the limits need the caller's API key.
    ServerLimits limits = config.serverLimits();
    if (limits.maxWatchStreams() > 0) {
      builder.intercept(new WatchStreamLimiter(limits.maxWatchStreams()));
    }
    if (limits.rateLimited()) {
      builder.intercept(new RateLimitInterceptor(limits.ratePerSecond(), limits.rateBurst()));
    }
    if (config.auth().mode() == AuthMode.API_KEY) {
      builder.intercept(new ApiKeyInterceptor(config.auth().keys()));
    }
    Server server = builder.build();
    try {
      return server.start();
    } catch (IOException e) {
      if (AddressInUse.causedBy(e)) {
        throw new IllegalStateException(
            "cannot listen on "
                + config.host()
                + ":"
                + config.port()
                + ": the address is in use. Is another baton server running? Choose another"
                + " with --listen",
            e);
      }
      throw new UncheckedIOException(e);
    }
  }

  private static void stopGrpc(Server grpc, HealthStatusManager health)
      throws InterruptedException {
    health.enterTerminalState();
    grpc.shutdown();
    if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
      grpc.shutdownNow();
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        log.warn("error while stopping: {}", e.toString());
      }
    }
    resources.clear();
  }
}
