package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.execution.ExecutionEnds;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionLauncher.WorkflowState;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.RunLease;
import dev.baton.execution.TemporalExecutionLauncher;
import dev.baton.server.temporal.EmbeddedTemporal;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Eager start stores a new execution IN_PROGRESS under a run lease and runs its agent.
 *
 * <p>By default the execution's workflow starts only when the run needs one (ADR 0003): a quick
 * agent's execution never has one; an agent that outlives the delay gets one, which adopts the run;
 * a cancel starts it to hold the cancel; while Temporal is unreachable Create still answers and the
 * agent runs on, and the start is retried until Temporal is back.
 *
 * <p>With a zero delay Create starts the workflow while the agent runs. When the workflow cannot
 * start, a running agent is stopped and the execution goes back to PENDING for the retried Create;
 * an agent that already ended keeps its end.
 *
 * <p>When the server stopped in between, the reconciler starts the workflow (with a Temporal that
 * outlives Baton's servers) or records the execution lost (the embedded one, which lost its callers
 * too).
 */
class EagerStartRecoveryTest {
  @TempDir Path home;
  @TempDir Path files;
  private Path gate;
  private Path runs;
  private EmbeddedTemporal temporal;
  private BatonServer server;
  private ManagedChannel channel;

  private final Logger endsLog = (Logger) LoggerFactory.getLogger(ExecutionEnds.class);
  private final ListAppender<ILoggingEvent> ends = new ListAppender<>();

  @BeforeEach
  void captureEnds() {
    ends.start();
    endsLog.addAppender(ends);
  }

  @AfterEach
  void releaseEnds() {
    endsLog.detachAppender(ends);
  }

  @BeforeEach
  void files() {
    gate = files.resolve("gate");
    runs = files.resolve("runs");
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void aCreateWhoseWorkflowCannotStartStopsItsAgentStaysPendingAndItsRetryRunsIt()
      throws Exception {
    int port = startThenStopTemporal(Duration.ZERO);
    // Create gives up on an unreachable Temporal after TemporalExecutionLauncher.START_TIMEOUT
    // (10 s), before this deadline: the SDK alone would retry for a minute.
    var api = api().withDeadlineAfter(30, TimeUnit.SECONDS);

    // the agent runs while the workflow fails to start, and waits for its gate all that time
    assertThatThrownBy(() -> api.create(request("retried", "gated", gate.toString())))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("stays PENDING");
            });
    var stored = server.store().list(allExecutions()).executions();
    assertThat(stored).hasSize(1);
    String id = stored.get(0).id();
    assertThat(stored.get(0).phase()).isEqualTo(dev.baton.execution.ExecutionPhase.PENDING);
    assertThat(stored.get(0).status().startTime()).isNull();
    assertThat(server.store().lease(id)).isEmpty();
    assertThat(Files.readAllLines(runs))
        .as("the agent started before the workflow failed")
        .hasSize(1);

    Files.writeString(gate, "open");
    temporal = EmbeddedTemporal.start(port);
    String retried =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(
                () ->
                    api()
                        .withDeadlineAfter(20, TimeUnit.SECONDS)
                        .create(request("retried", "gated", gate.toString()))
                        .getMetadata()
                        .getId(),
                created -> true);

    assertThat(retried).isEqualTo(id);
    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("passed");
    assertThat(Files.readAllLines(runs)).as("the stopped run, then the retried one").hasSize(2);
  }

  @Test
  void anAgentThatEndsBeforeItsWorkflowFailsToStartKeepsItsEnd() {
    startThenStopTemporal(Duration.ZERO);
    var api = api().withDeadlineAfter(30, TimeUnit.SECONDS);

    AgentExecution created = api.create(request("ended", "echo", "hello"));

    // the agent ran and its end was stored although Temporal was unreachable all along
    AgentExecution done =
        api().get(GetExecutionRequest.newBuilder().setId(created.getMetadata().getId()).build());
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("hello");
    assertThat(server.store().lease(created.getMetadata().getId())).isEmpty();
  }

  @Test
  void aQuickAgentsExecutionNeverStartsAWorkflow() throws Exception {
    server = start(ServerConfig.builder(home).embeddedTemporalPort(0));

    String id = api().create(request("quick", "echo", "hello")).getMetadata().getId();

    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("hello");
    Thread.sleep(ServerConfig.DEFAULT_EAGER_WORKFLOW_DELAY.plusSeconds(1).toMillis());
    assertThat(workflowState(id)).isEqualTo(WorkflowState.NOT_FOUND);
    assertThat(server.store().lease(id)).isEmpty();
  }

  @Test
  void anAgentThatOutlivesTheDelayGetsItsWorkflowWhichAdoptsTheRun() throws Exception {
    server =
        start(
            ServerConfig.builder(home)
                .embeddedTemporalPort(0)
                .eagerWorkflowDelay(Duration.ofMillis(300)));

    String id = api().create(request("long", "gated", gate.toString())).getMetadata().getId();

    await().atMost(Duration.ofSeconds(30)).until(() -> workflowState(id) == WorkflowState.RUNNING);
    Files.writeString(gate, "open");
    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("passed");
    assertThat(Files.readAllLines(runs)).as("the one eager run, adopted").hasSize(1);
    // The run recorded the end, and the workflow's step found it recorded: one line for the end.
    assertThat(ends.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("execution finished execution=" + id))
        .hasSize(1);
  }

  @Test
  void aCancelBeforeTheWorkflowStartedStartsItAndStopsTheAgent() throws Exception {
    server =
        start(
            ServerConfig.builder(home)
                .embeddedTemporalPort(0)
                .eagerWorkflowDelay(ServerConfig.MAX_EAGER_WORKFLOW_DELAY));
    String id = api().create(request("cancelled", "gated", gate.toString())).getMetadata().getId();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runs));
    assertThat(workflowState(id)).isEqualTo(WorkflowState.NOT_FOUND);

    api()
        .cancel(
            dev.baton.api.v1.CancelExecutionRequest.newBuilder()
                .setId(id)
                .setReason("not needed")
                .build());

    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(done.getStatus().getError().getMessage()).contains("not needed");
    assertThat(workflowState(id)).isNotEqualTo(WorkflowState.NOT_FOUND);
    assertThat(Files.readAllLines(runs)).hasSize(1);
  }

  @Test
  void whileTemporalIsDownCreateAnswersTheAgentRunsOnAndItsWorkflowStartsOnceTemporalIsBack()
      throws Exception {
    int port = startThenStopTemporal(Duration.ofMillis(200));

    AgentExecution created =
        api()
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .create(request("deferred", "gated", gate.toString()));
    String id = created.getMetadata().getId();
    assertThat(created.getStatus().getPhase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runs));

    temporal = EmbeddedTemporal.start(port);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(() -> workflowState(id) == WorkflowState.RUNNING);
    Files.writeString(gate, "open");

    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("passed");
    assertThat(Files.readAllLines(runs)).as("never stopped, never run again").hasSize(1);
  }

  @Test
  void aStoppingServerLeavesItsRunningAgentToItsWorkflowWithoutStartingItAgainItself()
      throws Exception {
    temporal = EmbeddedTemporal.start(0);
    // The run stops before its workflow would start: stopping, it starts the workflow, whose agent
    // activity must wait for a server that polls.
    ServerConfig.Builder config =
        ServerConfig.builder(home)
            .temporalAddress(temporal.target())
            .eagerWorkflowDelay(ServerConfig.MAX_EAGER_WORKFLOW_DELAY);
    server = start(config);
    String id = api().create(request("stopping", "gated", gate.toString())).getMetadata().getId();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(runs));
    assertThat(workflowState(id)).isEqualTo(WorkflowState.NOT_FOUND);

    channel.shutdownNow();
    channel = null;
    server.close();
    assertThat(Files.readAllLines(runs)).as("started once, not again while stopping").hasSize(1);

    server = start(config);
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readAllLines(runs).size() == 2);
    Files.writeString(gate, "open");
    AgentExecution done = awaitEnded(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("passed");
    assertThat(Files.readAllLines(runs)).as("run again once, by the restarted server").hasSize(2);
  }

  @Test
  void withATemporalThatOutlivesTheServerTheReconcilerStartsALeasedExecutionWithoutWorkflow() {
    temporal = EmbeddedTemporal.start(0);
    server =
        start(
            ServerConfig.builder(home)
                .temporalAddress(temporal.target())
                .reconcileInterval(Duration.ofSeconds(1)));
    String id = leasedByAServerThatStoppedBeforeStartingItsWorkflow();

    AgentExecution done = awaitEnded(id);

    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getOutput()).isEqualTo("hello");
  }

  @Test
  void withTheEmbeddedTemporalTheReconcilerRecordsALeasedExecutionWithoutWorkflowLost() {
    server =
        start(
            ServerConfig.builder(home)
                .embeddedTemporalPort(0)
                .reconcileInterval(Duration.ofSeconds(1)));
    String id = leasedByAServerThatStoppedBeforeStartingItsWorkflow();

    AgentExecution done = awaitEnded(id);

    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.FAILED);
    assertThat(done.getStatus().getError().getType()).isEqualTo(ExecutionError.EXECUTION_LOST);
  }

  /**
   * What a server leaves when it stops between storing an eager execution and starting its
   * workflow: IN_PROGRESS, its lease lapsed, no workflow. Created a minute ago, past the
   * reconciler's settle time.
   */
  private String leasedByAServerThatStoppedBeforeStartingItsWorkflow() {
    String id = new ExecutionIds(Clock.systemUTC()).next();
    Instant created = Instant.now().minusSeconds(60);
    server
        .store()
        .createLeased(
            new NewExecution(
                id,
                created,
                Map.of(),
                new dev.baton.execution.ExecutionSpec(
                    "echo", "hello", null, Duration.ofMinutes(5), null, OnCallerGone.CANCEL, null),
                null,
                null),
            new RunLease("a-server-that-stopped", created.plusSeconds(30)));
    return id;
  }

  private BatonServer start(ServerConfig.Builder config) {
    writeAgents();
    return BatonServer.start(config.port(0).metricsPort(0).eagerStart(true).build());
  }

  private void writeAgents() {
    try {
      Path agents = Files.createDirectories(home.resolve("agents"));
      Files.writeString(
          agents.resolve("echo.yaml"),
          "name: echo\nrunner: echo\ntimeout: 5m\nsettings:\n  delay: 0ms\n");
      // Appends a line to the runs file at every run, then waits for the gate file named by its
      // message.
      Files.writeString(
          agents.resolve("gated.yaml"),
          "name: gated\nrunner: command\ntimeout: 5m\nsettings:\n  command: [sh, -c,"
              + " 'f=$(cat); echo run >> \""
              + runs
              + "\"; while [ ! -e \"$f\" ]; do sleep 0.1; done; echo passed']\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Starts a server on a Temporal of its own, with the workflow delay, then stops that Temporal.
   *
   * @return the stopped Temporal's port, to start it again on
   */
  private int startThenStopTemporal(Duration workflowDelay) {
    temporal = EmbeddedTemporal.start(0);
    int port = temporal.port();
    server =
        start(
            ServerConfig.builder(home)
                .temporalAddress(temporal.target())
                .eagerWorkflowDelay(workflowDelay));
    temporal.close();
    temporal = null;
    return port;
  }

  private WorkflowState workflowState(String id) {
    return new TemporalExecutionLauncher(server.temporalClient()).state(id);
  }

  private AgentExecution awaitEnded(String id) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> api().get(GetExecutionRequest.newBuilder().setId(id).build()),
            execution ->
                execution.getStatus().getPhase() != ExecutionPhase.PENDING
                    && execution.getStatus().getPhase() != ExecutionPhase.IN_PROGRESS);
  }

  private AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api() {
    if (channel == null) {
      channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    }
    return AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  private static CreateExecutionRequest request(String requestId, String agent, String message) {
    return CreateExecutionRequest.newBuilder()
        .setRequestId(requestId)
        .setSpec(ExecutionSpec.newBuilder().setAgent(agent).setMessage(message))
        .build();
  }

  private static dev.baton.execution.ExecutionQuery allExecutions() {
    return new dev.baton.execution.ExecutionQuery(
        java.util.EnumSet.allOf(dev.baton.execution.ExecutionPhase.class), null, 100, null);
  }
}
