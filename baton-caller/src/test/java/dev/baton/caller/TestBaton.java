package dev.baton.caller;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.execution.ExecutionIds;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyScope;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthSettings;
import dev.baton.server.tls.ServerTls;
import io.grpc.ManagedChannel;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * A real Baton server (embedded Temporal, SQLite file, gRPC on a free loopback port) with test
 * agents, plus a caller worker in its own Temporal client, as a user would run them.
 *
 * <p>{@link #start(Path)} gives the standard set-up; {@link #builder(Path)} adds server settings,
 * agents and caller-worker registrations for tests of particular behaviours.
 */
final class TestBaton implements AutoCloseable {
  static final String CALLER_QUEUE = "caller-test";

  final BatonServer server;
  final BatonClient baton;
  final WorkflowServiceStubs callerService;
  final WorkflowClient callerClient;
  final WorkerFactory callerWorkers;
  final ManagedChannel channel;
  final AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  private TestBaton(Builder builder) {
    Path agents = builder.home.resolve("agents");
    writeAgents(agents);
    builder.agents.forEach(agent -> agent.writeTo(agents));
    builder.agentFiles.forEach((name, yaml) -> writeFile(agents.resolve(name + ".yaml"), yaml));
    ServerConfig.Builder config =
        ServerConfig.builder(builder.home).port(0).embeddedTemporalPort(0).metricsPort(0);
    if (builder.apiKey != null) {
      config.auth(
          AuthSettings.apiKeys(
              ApiKeys.of(
                  List.of(
                      new ApiKey("caller", ApiKeyScope.ADMIN, ApiKey.sha256Hex(builder.apiKey))))));
    }
    server = BatonServer.start(builder.config.apply(config.tls(builder.serverTls)).build());
    String target = "127.0.0.1:" + server.port();
    baton =
        BatonClient.newBuilder(target)
            .callTimeout(Duration.ofSeconds(10))
            .apiKey(builder.apiKey)
            .tls(builder.clientTls)
            .connect();
    channel = BatonChannels.open(target, builder.clientTls, builder.apiKey, "baton-test");
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
    callerService =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
    callerClient =
        WorkflowClient.newInstance(
            callerService,
            WorkflowClientOptions.newBuilder()
                .setNamespace(server.temporalNamespace())
                .setDataConverter(builder.callerConverter)
                .build());
    callerWorkers = WorkerFactory.newInstance(callerClient);
    Worker worker = callerWorkers.newWorker(CALLER_QUEUE);
    worker.registerWorkflowImplementationTypes(
        CallerWorkflowImpl.class, ConfiguredCallerWorkflowImpl.class);
    worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
    builder.workers.forEach(setup -> setup.accept(callerWorkers, baton));
    callerWorkers.start();
  }

  static TestBaton start(Path home) {
    return builder(home).start();
  }

  static Builder builder(Path home) {
    return new Builder(home);
  }

  CallerWorkflow caller(String workflowId) {
    return callerClient.newWorkflowStub(CallerWorkflow.class, options(workflowId, CALLER_QUEUE));
  }

  /** A caller that makes one call with activity options of the test's choosing. */
  ConfiguredCallerWorkflow configuredCaller(String workflowId) {
    return configuredCaller(workflowId, CALLER_QUEUE);
  }

  ConfiguredCallerWorkflow configuredCaller(String workflowId, String taskQueue) {
    return callerClient.newWorkflowStub(
        ConfiguredCallerWorkflow.class, options(workflowId, taskQueue));
  }

  AgentExecution get(String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build());
  }

  /**
   * The execution once its callback has left PENDING. Baton records a delivery after the completion
   * RPC returns, so a caller can hold its result a moment before the store says DELIVERED.
   */
  AgentExecution settled(String id) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> get(id),
            e -> e.getStatus().getCallback().getState() != CallbackState.CALLBACK_PENDING);
  }

  /** Every execution whose caller is the workflow {@code callerWorkflowId}. */
  List<AgentExecution> executionsOf(String callerWorkflowId) {
    return api
        .list(ListExecutionsRequest.newBuilder().setPageSize(1000).build())
        .getExecutionsList()
        .stream()
        .filter(e -> e.getSpec().getCaller().getWorkflowId().equals(callerWorkflowId))
        .toList();
  }

  /** The one execution of the caller workflow {@code callerWorkflowId}, once it runs. */
  AgentExecution runningExecutionOf(String callerWorkflowId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> executionsOf(callerWorkflowId),
            executions ->
                executions.size() == 1
                    && executions.get(0).getStatus().getPhase() == ExecutionPhase.IN_PROGRESS)
        .get(0);
  }

  /** The event types of the execution's workflow history, in order. */
  List<EventType> executionHistory(String executionId) {
    return callerClient
        .fetchHistory(ExecutionIds.workflowId(executionId))
        .getHistory()
        .getEventsList()
        .stream()
        .map(HistoryEvent::getEventType)
        .toList();
  }

  /** What Temporal says of the workflow {@code workflowId}. */
  DescribeWorkflowExecutionResponse describe(String workflowId) {
    return callerService
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(server.temporalNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
  }

  /** The last heartbeat details of the workflow's first pending activity. */
  Optional<String> heartbeatDetails(String workflowId) {
    List<PendingActivityInfo> pending = describe(workflowId).getPendingActivitiesList();
    if (pending.isEmpty() || !pending.get(0).hasHeartbeatDetails()) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
            0, Optional.of(pending.get(0).getHeartbeatDetails()), String.class, String.class));
  }

  private static WorkflowOptions options(String workflowId, String taskQueue) {
    return WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(taskQueue).build();
  }

  private static void writeAgents(Path dir) {
    List.of(
            new TestAgent("shout", "tr a-z A-Z", "30s", ""),
            new TestAgent(
                "fail", "echo 'the model refused: quota exceeded' >&2; exit 3", "30s", ""),
            new TestAgent("slow", "sleep \"${BATON_SLEEP:-4}\"; cat", "30s", ""),
            new TestAgent("sleepy", "sleep 600", "2s", ""))
        .forEach(agent -> agent.writeTo(dir));
  }

  private static void writeFile(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    callerWorkers.shutdownNow();
    callerService.shutdownNow();
    channel.shutdownNow();
    baton.close();
    server.close();
  }

  /** Sets up a {@link TestBaton}; every setter is optional. */
  static final class Builder {
    private final Path home;
    private final List<TestAgent> agents = new ArrayList<>();
    private final Map<String, String> agentFiles = new LinkedHashMap<>();
    private final List<BiConsumer<WorkerFactory, BatonClient>> workers = new ArrayList<>();
    private UnaryOperator<ServerConfig.Builder> config = UnaryOperator.identity();
    private String apiKey;
    private ServerTls serverTls = ServerTls.plaintext();
    private BatonTls clientTls = BatonTls.none();
    private DataConverter callerConverter = DefaultDataConverter.STANDARD_INSTANCE;

    private Builder(Path home) {
      this.home = home;
    }

    /** Changes the server's configuration (free ports are already set). */
    Builder config(UnaryOperator<ServerConfig.Builder> value) {
      config = value;
      return this;
    }

    /** Starts the server with {@code --auth api-key} accepting this key, which the SDK sends. */
    Builder apiKey(String value) {
      apiKey = value;
      return this;
    }

    /** The data converter of the caller's Temporal client, e.g. one with a payload codec. */
    Builder callerConverter(DataConverter value) {
      callerConverter = value;
      return this;
    }

    /**
     * Serves the API with {@code server} TLS; the SDK and the test's stub connect with {@code
     * client}.
     */
    Builder tls(ServerTls server, BatonTls client) {
      serverTls = server;
      clientTls = client;
      return this;
    }

    /** Adds a command agent running {@code sh -c script}. */
    Builder agent(String name, String script, String timeout) {
      return agent(name, script, timeout, "");
    }

    /** Adds a command agent with extra top-level YAML lines (e.g. {@code onCallerGone}). */
    Builder agent(String name, String script, String timeout, String extraYaml) {
      agents.add(new TestAgent(name, script, timeout, extraYaml));
      return this;
    }

    /** Adds an agent file {@code <name>.yaml} with this YAML, for runners other than command. */
    Builder agentYaml(String name, String yaml) {
      agentFiles.put(name, yaml);
      return this;
    }

    /**
     * Adds workers or registrations to the caller's worker factory before it starts; the standard
     * caller worker on {@link #CALLER_QUEUE} is already there.
     */
    Builder callerWorkers(BiConsumer<WorkerFactory, BatonClient> setup) {
      workers.add(setup);
      return this;
    }

    TestBaton start() {
      return new TestBaton(this);
    }
  }

  /** A command agent file: {@code sh -c script}. */
  private record TestAgent(String name, String script, String timeout, String extraYaml) {

    void writeTo(Path dir) {
      try {
        Files.createDirectories(dir);
        Files.writeString(
            dir.resolve(name + ".yaml"),
            "name: "
                + name
                + "\nrunner: command\ntimeout: "
                + timeout
                + "\n"
                + (extraYaml.isEmpty() ? "" : extraYaml.strip() + "\n")
                + "settings:\n  command: [\"sh\", \"-c\", "
                + quote(script)
                + "]\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String quote(String script) {
      return "'" + script.replace("'", "''") + "'";
    }
  }
}
