package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.callback.AgentResult;
import dev.baton.execution.AdoptingAgentActivities;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.ExecutionWorkflow;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.RunLease;
import dev.baton.execution.TaskQueues;
import dev.baton.execution.Termination;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Eager start's one-run-per-execution rule: the run that Create starts holds a lease, the agent
 * activity adopts it here and waits for it from another server, and a dead server's lease lapses.
 */
class EagerStartTest {
  /**
   * Appends a line to {@code <message>.runs} for every run, then waits until the file named by its
   * message exists and answers with its path.
   */
  private static final String COUNTED =
      "f=$(cat); echo run >> \"$f.runs\"; while [ ! -e \"$f\" ]; do sleep 0.1; done;"
          + " echo \"passed $f\"";

  @TempDir static Path home;
  @TempDir static Path gateFiles;
  static Gates gates;
  static TestBaton baton;

  @BeforeAll
  static void start() {
    gates = new Gates(gateFiles);
    baton =
        TestBaton.builder(home)
            // The workflow's side of a run: with a zero delay Create starts the workflow at once
            // (ADR 0002); the deferred start is in baton-server's EagerStartRecoveryTest.
            .config(config -> config.eagerStart(true).eagerWorkflowDelay(Duration.ZERO))
            .agent("counted", COUNTED, "2m")
            .agentYaml(
                "quick", "name: quick\nrunner: echo\ntimeout: 1m\nsettings:\n  delay: 100ms\n")
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void createStartsTheAgentUnderALeaseAndTheActivityAdoptsTheRun() throws Exception {
    // given a caller whose agent waits for its gate
    CompletableFuture<List<AgentResult>> call =
        WorkflowClient.execute(
            baton.caller("adopted")::call,
            List.of(AgentCall.of("counted", gates.path("adopted"))),
            0L);
    String id =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> baton.executionsOf("adopted"), list -> list.size() == 1)
            .get(0)
            .getMetadata()
            .getId();

    // then the agent runs under this server's live lease, and the agent activity has started
    await().atMost(Duration.ofSeconds(15)).until(() -> runs("adopted") == 1);
    RunLease lease = store().lease(id).orElseThrow();
    assertThat(lease.isLiveAt(Instant.now())).isTrue();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> agentActivity(id).map(a -> a.getState()).orElse(null),
            state -> state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);

    // when the agent finishes
    gates.open("adopted");

    // then the caller has its output, the agent ran once and the lease is gone
    AgentResult result = call.get(30, TimeUnit.SECONDS).get(0);
    assertThat(result.output()).isEqualTo("passed " + gates.path("adopted"));
    assertThat(runs("adopted")).isEqualTo(1);
    assertThat(store().lease(id)).isEmpty();
    AgentExecution execution = baton.settled(id);
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    assertThat(execution.getStatus().getCallback().getAttempts()).isEqualTo(1);
    awaitWorkflowCompleted(id);
  }

  /**
   * A run that ends within a moment, here 100 ms, after the workflow has admitted the execution is
   * taken by the workflow's first task on the same server (a local step), so the execution needs no
   * agent activity at all.
   */
  @Test
  void aRunThatEndsAtOnceNeedsNoAgentActivity() throws Exception {
    AgentResult result =
        baton.caller("no-activity").call(List.of(AgentCall.of("quick", "soon")), 0).get(0);

    assertThat(result.output()).isEqualTo("soon");
    awaitWorkflowCompleted(result.executionId());
    List<EventType> history = baton.executionHistory(result.executionId());
    assertThat(history)
        .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    AgentExecution execution = baton.settled(result.executionId());
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    assertThat(execution.getStatus().getCallback().getAttempts()).isEqualTo(1);
  }

  @Test
  void anAgentStartedOnAServerThatDiedRunsOnceItsLeaseLapses() {
    // given an execution whose lease a dead server holds for 3 more seconds, and an open gate
    gates.open("dead-owner");
    Instant lapses = Instant.now().plusSeconds(3);
    String id = leasedExecution(gates.path("dead-owner"), new RunLease("dead-server", lapses));

    // when its workflow runs
    startWorkflow(id);

    // then the agent activity does not run the agent while the lease is live
    await().atMost(Duration.ofSeconds(15)).until(() -> agentActivity(id).isPresent());
    await()
        .during(Duration.between(Instant.now(), lapses).minusMillis(300))
        .atMost(Duration.ofSeconds(4))
        .until(() -> runs("dead-owner") == 0);
    // and runs it once after
    awaitWorkflowCompleted(id);
    assertThat(runs("dead-owner")).isEqualTo(1);
    assertThat(baton.get(id).getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(baton.get(id).getStatus().getOutput())
        .isEqualTo("passed " + gates.path("dead-owner"));
  }

  /**
   * After a {@code kill -9} the restarted server's agent activity waits for the dead server's lease
   * to lapse (up to 30 s) before it runs the agent: the log says so when the wait starts, with how
   * long it may last, and again when it takes the execution over; it names no token.
   */
  @Test
  void theWaitForALeaseOfAServerThatDiedIsLoggedWithItsLapseAndTheTakeOver() {
    Logger adoptionLog = (Logger) LoggerFactory.getLogger(AdoptingAgentActivities.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    adoptionLog.addAppender(logged);
    try {
      // given an execution whose lease a dead server holds for 3 more seconds
      gates.open("logged-wait");
      RunLease lease = new RunLease("dead-server", Instant.now().plusSeconds(3));
      String id = leasedExecution(gates.path("logged-wait"), lease);

      // when its workflow runs, waits and takes the execution over
      startWorkflow(id);
      awaitWorkflowCompleted(id);

      // then one line said what the wait is for and how long it may last, one the takeover
      List<ILoggingEvent> events =
          logged.list.stream()
              .filter(event -> event.getFormattedMessage().contains("execution=" + id))
              .toList();
      assertThat(events).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
      List<String> lines = events.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0))
          .startsWith("agent activity waits for the run of execution=" + id + " on dead-server:")
          .containsPattern(
              "its run lease lapses in [0-3]\\.\\d s \\(at " + lease.expiresAt() + "\\)")
          .contains("the agent runs here if it lapses");
      assertThat(lines.get(1))
          .startsWith(
              "run lease of execution="
                  + id
                  + " held by dead-server lapsed at "
                  + lease.expiresAt()
                  + " without being renewed after a wait of ")
          .contains("this server takes the execution over");
      assertThat(lines).noneMatch(line -> line.contains("token"));
      assertThat(runs("logged-wait")).isEqualTo(1);
    } finally {
      adoptionLog.detachAppender(logged);
    }
  }

  @Test
  void anEndTheLeaseOwnerRecordedIsTakenWithoutRunningTheAgentAndLeftToItToDeliver() {
    // given an execution whose agent another server runs, under a lease for a minute
    gates.open("other-owner");
    String id =
        leasedExecution(
            gates.path("other-owner"), new RunLease("other-server", Instant.now().plusSeconds(60)));
    startWorkflow(id);
    await().atMost(Duration.ofSeconds(15)).until(() -> agentActivity(id).isPresent());

    // when that server records the agent's end
    store().finish(id, Termination.completed("answered elsewhere", null, Instant.now()));

    // then the workflow leaves the delivery to it while it holds the lease (a second completion
    // RPC would race its own)
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> describe(id).getWorkflowExecutionInfo().getStatus(),
            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

    // and when it drops the lease, the workflow completes with that end; the agent never ran here
    store().releaseLease(id, "other-server");
    awaitWorkflowCompleted(id);
    assertThat(runs("other-owner")).isZero();
    assertThat(baton.get(id).getStatus().getOutput()).isEqualTo("answered elsewhere");
  }

  /**
   * The lease renewal (every 10 s, all of a server's runs in one transaction) extends a running
   * agent's lease, and stops a run whose execution ended elsewhere (here: recorded directly in the
   * store) without recording anything: the workflow then completes with the recorded end while the
   * agent's gate is still closed.
   */
  @Test
  void theLeaseRenewalExtendsARunningLeaseAndStopsARunWhoseExecutionEndedElsewhere() {
    String id = create(gates.path("renewed"));
    await().atMost(Duration.ofSeconds(15)).until(() -> runs("renewed") == 1);
    Instant first = store().lease(id).orElseThrow().expiresAt();

    await()
        .atMost(Duration.ofSeconds(25))
        .until(() -> store().lease(id).orElseThrow().expiresAt().isAfter(first));

    store().finish(id, Termination.cancelled("ended elsewhere", Instant.now()));

    awaitWorkflowCompleted(id);
    assertThat(runs("renewed")).isEqualTo(1);
    AgentExecution execution = baton.get(id);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(execution.getStatus().getError().getMessage()).isEqualTo("ended elsewhere");
  }

  @Test
  void twoServersOnOneDatabaseRunEachEagerAgentOnce() throws Exception {
    // given a second eager server on the same database and Temporal, polling the same queues
    try (BatonServer second =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .metricsPort(0)
                .temporalAddress(baton.server.temporalTarget())
                .temporalNamespace(baton.server.temporalNamespace())
                .eagerStart(true)
                .eagerWorkflowDelay(Duration.ZERO)
                .build())) {
      // when executions created through the first server wait for their gates
      List<String> names = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String name = "shared-" + i;
        names.add(name);
        ids.add(create(gates.path(name)));
      }
      for (String id : ids) {
        await().atMost(Duration.ofSeconds(15)).until(() -> agentActivity(id).isPresent());
      }
      names.forEach(gates::open);

      // then each completes, its agent having run once, wherever its activity was dispatched
      for (String id : ids) {
        awaitWorkflowCompleted(id);
        assertThat(second.store().find(id).orElseThrow().phase())
            .isEqualTo(dev.baton.execution.ExecutionPhase.COMPLETED);
      }
      assertThat(names).allSatisfy(name -> assertThat(runs(name)).isEqualTo(1));
    }
  }

  private static ExecutionStore store() {
    return baton.server.store();
  }

  /**
   * An execution of the counted agent, with a callback to deliver, created IN_PROGRESS under {@code
   * lease}, as a server that starts it eagerly creates it.
   */
  private static String leasedExecution(String message, RunLease lease) {
    String id = new ExecutionIds(Clock.systemUTC()).next();
    store()
        .createLeased(
            new NewExecution(
                id,
                Instant.now(),
                Map.of(),
                new dev.baton.execution.ExecutionSpec(
                    "counted",
                    message,
                    null,
                    Duration.ofMinutes(2),
                    null,
                    OnCallerGone.CANCEL,
                    null),
                // A token (of no real caller) keeps the callback PENDING until a delivery step.
                CallbackToken.of(("token-of-" + id).getBytes(StandardCharsets.UTF_8)),
                null),
            lease);
    return id;
  }

  private static void startWorkflow(String id) {
    ExecutionWorkflow workflow =
        baton.callerClient.newWorkflowStub(
            ExecutionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ExecutionIds.workflowId(id))
                .setTaskQueue(TaskQueues.EXECUTIONS)
                .build());
    WorkflowClient.start(workflow::run, id);
  }

  private static String create(String message) {
    return baton
        .api
        .create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("counted").setMessage(message))
                .build())
        .getMetadata()
        .getId();
  }

  /** What Temporal says of the execution's workflow. */
  private static DescribeWorkflowExecutionResponse describe(String id) {
    return baton.describe(ExecutionIds.workflowId(id));
  }

  /** The execution workflow's pending agent activity, if it has one. */
  private static java.util.Optional<PendingActivityInfo> agentActivity(String id) {
    return describe(id).getPendingActivitiesList().stream().findFirst();
  }

  private static void awaitWorkflowCompleted(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> describe(id).getWorkflowExecutionInfo().getStatus(),
            status -> status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }

  private static int runs(String name) {
    return AgentProcesses.lines(gateFiles.resolve(name + ".runs")).size();
  }
}
