package dev.baton.server;

import dev.baton.agent.AgentActivitiesImpl;
import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.EventLimits;
import dev.baton.agent.YamlAgentCatalog;
import dev.baton.agent.command.CommandRunner;
import dev.baton.agent.external.ExternalRunner;
import dev.baton.agent.llm.LlmRunner;
import dev.baton.callback.CallbackDelivery;
import dev.baton.callback.CallbackDispatcher;
import dev.baton.callback.CallbackSettings;
import dev.baton.callback.CallerRelay;
import dev.baton.execution.AdmissionControl;
import dev.baton.execution.CallbackWorkflow;
import dev.baton.execution.CallbackWorkflowImpl;
import dev.baton.execution.ExecutionActivitiesImpl;
import dev.baton.execution.ExecutionChangeSignal;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionLauncher;
import dev.baton.execution.ExecutionReconciler;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.ExecutionWatcher;
import dev.baton.execution.ExecutionWorkflow;
import dev.baton.execution.ExecutionWorkflowImpl;
import dev.baton.execution.SignallingExecutionStore;
import dev.baton.execution.TaskQueues;
import dev.baton.execution.TemporalExecutionLauncher;
import dev.baton.metrics.BatonMetrics;
import dev.baton.server.temporal.TemporalConnection;
import dev.baton.store.Database;
import dev.baton.store.JdbcExecutionStore;
import dev.baton.store.TokenCipher;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts of a Baton server from its configuration: the one place of wiring. */
final class ServerWiring {
  private static final Logger log = LoggerFactory.getLogger(ServerWiring.class);

  private ServerWiring() {}

  static AgentRunners runners(CommandRunner commandRunner, LlmRunner llmRunner) {
    return AgentRunners.of(commandRunner, llmRunner, new ExternalRunner());
  }

  static AgentCatalog agents(ServerConfig config, AgentRunners runners) {
    if (!Files.exists(config.agentsPath())) {
      return YamlAgentCatalog.of(List.of());
    }
    return YamlAgentCatalog.load(config.agentsPath(), runners);
  }

  static ExecutionStore store(Database database, TokenCipher tokens, ExecutionChangeSignal signal) {
    return new SignallingExecutionStore(new JdbcExecutionStore(database, tokens), signal);
  }

  /**
   * The keys callback tokens are stored with: the key file, else the inline keys, else {@code
   * <home>/token-keys}, created on first start.
   */
  static TokenCipher tokenCipher(ServerConfig config) {
    if (config.tokenKeyFile() != null) {
      return TokenCipher.read(config.tokenKeyFile());
    }
    if (config.tokenKeys() != null && !config.tokenKeys().isBlank()) {
      return TokenCipher.parse(
          config.tokenKeys().strip().replaceAll("[,\\s]+", "\n"), "BATON_TOKEN_KEYS");
    }
    Path file = config.home().resolve("token-keys");
    if (!config.databaseUrl().startsWith("jdbc:sqlite:")) {
      log.warn(
          "No token key configured; using {}. Servers sharing this database need the same keys:"
              + " give each the same --token-key-file or BATON_TOKEN_KEYS",
          file);
    }
    return TokenCipher.readOrCreate(file);
  }

  static ExecutionService executions(
      ServerConfig config,
      ExecutionStore store,
      AgentCatalog agents,
      ExecutionLauncher launcher,
      Clock clock) {
    return new ExecutionService(
        store, agents, launcher, new ExecutionIds(clock), clock, config.limits());
  }

  /** Prometheus registry with JVM and process metrics bound. */
  static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** Refreshes the store-backed gauges every 15 s, so they are right across servers. */
  static AutoCloseable startStoreGauges(ExecutionStore store, BatonMetrics metrics, Clock clock) {
    return every(
        "baton-gauges",
        Duration.ofSeconds(15),
        () -> metrics.storeStats(store.stats(), clock.instant()),
        "store gauges");
  }

  /** Why the server is not ready, or null: the store and Temporal must answer. */
  static String readinessProblem(Database database, TemporalConnection temporal) {
    try {
      database
          .jdbi()
          .withHandle(handle -> handle.createQuery("SELECT 1").mapTo(Integer.class).one());
    } catch (RuntimeException e) {
      return "store unreachable: " + e.getMessage();
    }
    try {
      temporal.service().healthCheck();
    } catch (RuntimeException e) {
      return "Temporal unreachable at " + temporal.target() + ": " + e.getMessage();
    }
    return null;
  }

  private static AutoCloseable every(
      String threadName, Duration interval, Runnable task, String what) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("{} failed; retrying next interval: {}", what, e.toString());
          }
        },
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return scheduler::shutdownNow;
  }

  /** The one launcher of a server: the API and the reconciler start and cancel through it. */
  static ExecutionLauncher launcher(TemporalConnection temporal) {
    return new TemporalExecutionLauncher(temporal.client());
  }

  /** Runs the reconciler now and then every reconcile interval; close to stop it. */
  static AutoCloseable startReconciler(
      ServerConfig config, ExecutionStore store, ExecutionLauncher launcher, Clock clock) {
    ExecutionReconciler reconciler =
        new ExecutionReconciler(store, launcher, clock, Duration.ofSeconds(10));
    return every(
        "baton-reconciler",
        config.reconcileInterval(),
        reconciler::reconcileOnce,
        "reconciliation");
  }

  static ExecutionWatcher watcher(
      ServerConfig config, ExecutionStore store, ExecutionChangeSignal signal) {
    return new ExecutionWatcher(store, signal, config.watchPollInterval());
  }

  /** Registers the execution workflow, its system activities and the built-in runners. */
  static WorkerFactory workers(
      ServerConfig config,
      TemporalConnection temporal,
      ExecutionStore store,
      AgentCatalog agents,
      AgentRunners runners,
      ExecutionLauncher launcher,
      Clock clock,
      BatonMetrics metrics,
      List<AutoCloseable> resources) {
    String identity = "baton@" + ManagementFactory.getRuntimeMXBean().getName();
    CallbackSettings callbacks =
        new CallbackSettings(
            temporal.namespace(),
            config.outputLimitBytes(),
            config.workflowOptions().deliveryRpcDeadline(),
            config.workflowOptions().deliveryRetryWindow());
    CallbackDelivery delivery =
        new CallbackDelivery(
            temporal.service(),
            DefaultDataConverter.STANDARD_INSTANCE,
            callbacks.rpcDeadline(),
            identity);
    CallbackDispatcher dispatcher =
        new CallbackDispatcher(store, delivery, callbacks, metrics, clock);

    WorkerFactory factory =
        WorkerFactory.newInstance(
            temporal.client(),
            WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(2000).build());
    CallerRelay relay =
        new CallerRelay(
            store,
            delivery,
            temporal.namespace(),
            config.relayInterval(),
            config.callerGoneGrace(),
            metrics,
            clock,
            2);
    resources.add(relay);
    AdmissionControl admission =
        new AdmissionControl(
            store, launcher, relay, metrics, clock, config.serverLimits().maxConcurrentPerAgent());

    Worker executions =
        factory.newWorker(
            TaskQueues.EXECUTIONS,
            WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskPollers(4)
                .setMaxConcurrentLocalActivityExecutionSize(200)
                .build());
    executions.registerWorkflowImplementationFactory(
        ExecutionWorkflow.class, () -> new ExecutionWorkflowImpl(config.workflowOptions()));
    executions.registerWorkflowImplementationFactory(
        CallbackWorkflow.class, () -> new CallbackWorkflowImpl(config.workflowOptions()));
    executions.registerActivitiesImplementations(
        new ExecutionActivitiesImpl(store, agents, dispatcher, metrics, admission, clock));

    Worker agentWorker =
        factory.newWorker(
            TaskQueues.AGENTS,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityTaskPollers(4)
                .setMaxConcurrentActivityExecutionSize(200)
                .build());
    agentWorker.registerActivitiesImplementations(
        new AgentActivitiesImpl(
            agents, runners, relay, clock, store::appendEvents, EventLimits.DEFAULT));
    return factory;
  }
}
