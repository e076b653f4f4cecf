package dev.baton.server;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentActivitiesImpl;
import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentCatalogObserver;
import dev.baton.agent.AgentRun;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.AgentSlots;
import dev.baton.agent.AttemptRuns;
import dev.baton.agent.EventLimits;
import dev.baton.agent.ReloadingAgentCatalog;
import dev.baton.agent.command.CommandRunner;
import dev.baton.agent.echo.EchoRunner;
import dev.baton.agent.external.ExternalRunner;
import dev.baton.agent.llm.LlmRunner;
import dev.baton.callback.CallbackDelivery;
import dev.baton.callback.CallbackDispatcher;
import dev.baton.callback.CallbackSettings;
import dev.baton.callback.CallerCompletion;
import dev.baton.callback.CallerRelay;
import dev.baton.callback.CallerRelayActivitiesImpl;
import dev.baton.crypto.BatonPayloadCodec;
import dev.baton.crypto.KeyRing;
import dev.baton.execution.AdmissionControl;
import dev.baton.execution.AdoptingAgentActivities;
import dev.baton.execution.CallbackWorkflow;
import dev.baton.execution.CallbackWorkflowImpl;
import dev.baton.execution.EagerRunActivitiesImpl;
import dev.baton.execution.EagerRuns;
import dev.baton.execution.EagerStart;
import dev.baton.execution.ExecutionActivitiesImpl;
import dev.baton.execution.ExecutionChangeSignal;
import dev.baton.execution.ExecutionEnds;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionLauncher;
import dev.baton.execution.ExecutionReconciler;
import dev.baton.execution.ExecutionRetention;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.ExecutionWatcher;
import dev.baton.execution.ExecutionWorkflow;
import dev.baton.execution.ExecutionWorkflowImpl;
import dev.baton.execution.RecordingAgentActivities;
import dev.baton.execution.SignallingExecutionStore;
import dev.baton.execution.TaskQueues;
import dev.baton.execution.TemporalExecutionLauncher;
import dev.baton.execution.WorkflowInspector;
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
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts of a Baton server from its configuration: the one place of wiring. */
final class ServerWiring {
  private static final Logger log = LoggerFactory.getLogger(ServerWiring.class);

  /** How often a built-in runner's heartbeat reaches Temporal (and a cancellation reaches it). */
  static final Duration AGENT_HEARTBEAT_EVERY = Duration.ofSeconds(2);

  /** How long a workflow thread of Baton's may hold on before the SDK reports a deadlock. */
  static final Duration DEADLOCK_DETECTION = Duration.ofSeconds(5);

  private ServerWiring() {}

  static AgentRunners runners(CommandRunner commandRunner, LlmRunner llmRunner) {
    return AgentRunners.of(commandRunner, llmRunner, new EchoRunner(), new ExternalRunner());
  }

  /** The agents of the agent files, none while they do not exist; reloaded when they change. */
  static ReloadingAgentCatalog agents(
      ServerConfig config, AgentRunners runners, AgentCatalogObserver observer) {
    return ReloadingAgentCatalog.load(config.agentsPath(), runners, observer);
  }

  /**
   * The store, once every callback token an older Baton stored in plaintext is encrypted: a
   * plaintext token would otherwise fail to decrypt when its callback is delivered.
   */
  static ExecutionStore store(Database database, TokenCipher tokens, ExecutionChangeSignal signal) {
    JdbcExecutionStore store = new JdbcExecutionStore(database, tokens);
    int encrypted = store.encryptPlaintextTokens();
    if (encrypted > 0) {
      log.info(
          "Encrypted {} callback tokens that an older Baton stored in plaintext, with token key {}",
          encrypted,
          tokens.encryptingKeyId());
    }
    return new SignallingExecutionStore(store, signal);
  }

  /**
   * The keys callback tokens are stored with: the key file, else the inline keys, else {@code
   * <home>/token-keys}, created on first start.
   */
  static TokenCipher tokenCipher(ServerConfig config) {
    Optional<KeyRing> configured =
        KeyRing.load(
            config.tokenKeyFile(), config.tokenKeys(), "BATON_TOKEN_KEYS", TokenCipher.WHAT);
    if (configured.isPresent()) {
      return new TokenCipher(configured.get(), new SecureRandom());
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

  /**
   * The converter of Baton's own Temporal client and workers: with payload keys, Temporal's default
   * behind the {@link BatonPayloadCodec}, so histories of Baton's workflows hold ciphertext.
   */
  static DataConverter dataConverter(Optional<BatonPayloadCodec> codec) {
    return codec
        .map(BatonPayloadCodec::dataConverter)
        .orElse(DefaultDataConverter.STANDARD_INSTANCE);
  }

  /**
   * The converter of what is delivered to callers' activities: encrypted only when asked for,
   * because a caller needs the codec and the keys to read it.
   */
  static DataConverter callerConverter(ServerConfig config, Optional<BatonPayloadCodec> codec) {
    return config.payloadEncryption().encryptCallerResults()
        ? dataConverter(codec)
        : DefaultDataConverter.STANDARD_INSTANCE;
  }

  static ExecutionService executions(
      ServerConfig config,
      ExecutionStore store,
      AgentCatalog agents,
      ExecutionLauncher launcher,
      EagerStart eager,
      Clock clock) {
    return new ExecutionService(
        store, agents, launcher, new ExecutionIds(clock), clock, config.limits(), eager);
  }

  /**
   * The execution workflows' worker. Its activities are the workflows' local activities: no
   * activity task pollers. The SDK fails a workflow task whose thread holds on for over a second
   * (its deadlock detector); Baton's workflow code never blocks, and on a starved machine (10,000
   * executions on two cores, docs/performance.md) a task went past that second only waiting for a
   * core, failed and was replayed, more work for the starved machine. A real deadlock is still
   * reported, after {@link #DEADLOCK_DETECTION}.
   */
  static WorkerOptions executionWorkerOptions() {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskPollers(4)
        .setMaxConcurrentLocalActivityExecutionSize(200)
        .setLocalActivityWorkerOnly(true)
        .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis())
        .build();
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
        new ExecutionReconciler(
            store, launcher, clock, ExecutionReconciler.SETTLE_TIME, !config.embeddedTemporal());
    return every(
        "baton-reconciler",
        config.reconcileInterval(),
        reconciler::reconcileOnce,
        "reconciliation");
  }

  /** Reads the agent files again every reload interval; nothing when it is 0 (SIGHUP only). */
  static AutoCloseable startAgentReloads(ServerConfig config, ReloadingAgentCatalog agents) {
    if (config.agentsReloadInterval().isZero()) {
      return () -> {};
    }
    return every(
        "baton-agent-files",
        config.agentsReloadInterval(),
        agents::reload,
        "checking the agent files");
  }

  /** Deletes executions past their retention now and then; nothing when it is 0 (keep all). */
  static AutoCloseable startRetention(
      ServerConfig config, ExecutionStore store, BatonMetrics metrics, Clock clock) {
    if (config.retention().isZero()) {
      return () -> {};
    }
    ExecutionRetention retention =
        new ExecutionRetention(store, config.retention(), clock, metrics::executionsDeleted);
    return every(
        "baton-retention", retention.interval(), retention::deleteOnce, "deleting old executions");
  }

  static ExecutionWatcher watcher(
      ServerConfig config, ExecutionStore store, ExecutionChangeSignal signal) {
    return new ExecutionWatcher(store, signal, config.watchPollInterval());
  }

  static CallbackSettings callbackSettings(ServerConfig config, TemporalConnection temporal) {
    return new CallbackSettings(
        temporal.namespace(),
        config.outputLimitBytes(),
        config.workflowOptions().deliveryRpcDeadline(),
        config.workflowOptions().deliveryRetryWindow());
  }

  /** The one way a server sends completions and heartbeats to callers. */
  static CallbackDelivery callbackDelivery(
      CallbackSettings callbacks, TemporalConnection temporal, DataConverter callerConverter) {
    String identity = "baton@" + ManagementFactory.getRuntimeMXBean().getName();
    return new CallbackDelivery(
        temporal.service(), callerConverter, callbacks.rpcDeadline(), identity);
  }

  /** Operators' manual completion of stuck callers, through the same delivery as the workers'. */
  static CallerCompletion callerCompletion(
      ServerConfig config,
      TemporalConnection temporal,
      ExecutionStore store,
      ExecutionLauncher launcher,
      BatonMetrics metrics,
      DataConverter callerConverter,
      Clock clock) {
    CallbackSettings callbacks = callbackSettings(config, temporal);
    return new CallerCompletion(
        store,
        callbackDelivery(callbacks, temporal, callerConverter),
        callbacks,
        launcher,
        metrics,
        clock);
  }

  static WorkflowInspector inspector(ServerConfig config, TemporalConnection temporal) {
    return new WorkflowInspector(
        temporal.service(), temporal.namespace(), config.workflowOptions().deliveryRpcDeadline());
  }

  /** Registers the execution workflow, its system activities and the built-in runners. */
  static Workers workers(
      ServerConfig config,
      TemporalConnection temporal,
      ExecutionStore store,
      AgentCatalog agents,
      AgentRunners runners,
      ExecutionLauncher launcher,
      Clock clock,
      BatonMetrics metrics,
      DataConverter callerConverter,
      List<AutoCloseable> resources) {
    CallbackSettings callbacks = callbackSettings(config, temporal);
    CallbackDelivery delivery = callbackDelivery(callbacks, temporal, callerConverter);
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

    Worker executions = factory.newWorker(TaskQueues.EXECUTIONS, executionWorkerOptions());
    executions.registerWorkflowImplementationFactory(
        ExecutionWorkflow.class, () -> new ExecutionWorkflowImpl(config.workflowOptions()));
    executions.registerWorkflowImplementationFactory(
        CallbackWorkflow.class, () -> new CallbackWorkflowImpl(config.workflowOptions()));
    ExecutionEnds ends = new ExecutionEnds(store, agents, metrics, admission, clock);

    Worker agentWorker =
        factory.newWorker(
            TaskQueues.AGENTS,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityTaskPollers(4)
                // With eager start an activity may only wait for a run that holds a slot; the
                // slots themselves are AgentSlots, shared by both ways an agent starts.
                .setMaxConcurrentActivityExecutionSize(
                    config.eagerStart() ? 2 * config.agentSlots() : config.agentSlots())
                // The SDK sends at most one heartbeat per 0.8 x heartbeat timeout by default; a
                // cancellation is only seen in a heartbeat's answer, so send one every 2 s.
                .setMaxHeartbeatThrottleInterval(AGENT_HEARTBEAT_EVERY)
                .build());
    AgentRun agentRun =
        new AgentRun(agents, runners, relay, clock, store::appendEvents, EventLimits.DEFAULT);
    RecordingAgentActivities.Recorder recorder =
        RecordingAgentActivities.recorder(ends, dispatcher);
    AgentSlots slots =
        config.eagerStart() ? new AgentSlots(config.agentSlots()) : AgentSlots.unlimited();
    // A run whose attempt Temporal timed out waits for the retry as long as Temporal waited.
    AttemptRuns attempts =
        new AttemptRuns(config.workflowOptions().agentHeartbeatTimeout(), AGENT_HEARTBEAT_EVERY);
    AgentActivities activity =
        attempts.around(
            new RecordingAgentActivities(
                new AgentActivitiesImpl(agentRun, slots, attempts), store, recorder));
    EagerStart eager = EagerStart.NONE;
    if (config.eagerStart()) {
      EagerRuns runs =
          new EagerRuns(
              store, agentRun, recorder, admission, clock, slots, config.eagerWorkflowDelay());
      activity = new AdoptingAgentActivities(activity, runs, store, clock, AGENT_HEARTBEAT_EVERY);
      eager = runs;
    }
    CallerRelayActivitiesImpl externalRuns =
        new CallerRelayActivitiesImpl(
            relay,
            temporal.client().newActivityCompletionClient(),
            inspector(config, temporal),
            store::appendEvents,
            clock,
            shorter(config.relayInterval(), CallerRelayActivitiesImpl.FOLLOW_EVERY));
    resources.add(externalRuns);
    agentWorker.registerActivitiesImplementations(activity, externalRuns);
    EagerRunActivitiesImpl eagerRun = new EagerRunActivitiesImpl(eager);
    executions.registerActivitiesImplementations(
        new ExecutionActivitiesImpl(store, agents, dispatcher, ends, admission, eagerRun, clock),
        eagerRun);
    return new Workers(factory, eager);
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  /**
   * The server's Temporal workers, and what Create tells of the workflows it starts.
   *
   * @param eager the eager runs when {@code --eager-start} is on, else {@link EagerStart#NONE};
   *     close it before the factory, so activities that adopted a run stop waiting for it
   */
  record Workers(WorkerFactory factory, EagerStart eager) {}
}
