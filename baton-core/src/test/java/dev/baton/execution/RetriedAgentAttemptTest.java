package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentActivitiesImpl;
import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRun;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.AgentSlots;
import dev.baton.agent.AttemptRuns;
import dev.baton.agent.EventLimits;
import dev.baton.agent.EventRecorder;
import dev.baton.agent.RunContext;
import dev.baton.agent.RunMonitor;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runner whose heartbeats stop reaching Temporal (a starved machine) is timed out and its
 * activity retried while its agent still runs. The retried attempt on the same server takes the run
 * over instead of running the agent a second time beside it; a run whose attempt is gone and that
 * no retry takes over stops after the handover wait. Real Temporal test server, in real time.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RetriedAgentAttemptTest {
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STALL = Duration.ofMillis(2500);
  private static final String WORKFLOW_ID = "agent-execution/e1";

  private final StallingRunner runner = new StallingRunner();
  private TestWorkflowEnvironment env;
  private StoreSteps steps;

  @AfterEach
  void stopTemporal() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void theRetriedAttemptTakesTheRunOverInsteadOfRunningTheAgentAgain() {
    start(3, Duration.ofSeconds(30));
    runner.beatsAfterStall = 10;

    CallbackState result = execution().run("e1");

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(agentAttemptsStarted()).as("attempts of the agent activity").isGreaterThan(1);
    assertThat(runner.starts).as("runs of the agent").hasValue(1);
    assertThat(runner.mostAtOnce).hasValue(1);
    assertThat(steps.outcomes).containsExactly(AgentOutcome.completed("done by run 1", null));
  }

  @Test
  void aRunWhoseAttemptIsGoneStopsWhenNoRetryTakesItOverWithinTheWait() {
    Duration handoverWait = Duration.ofSeconds(2);
    start(1, handoverWait);
    runner.beatsAfterStall = 300;

    CallbackState result = execution().run("e1");

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(steps.outcomes)
        .singleElement()
        .satisfies(o -> assertThat(o.phase()).isEqualTo(ExecutionPhase.FAILED));
    await().atMost(Duration.ofSeconds(20)).until(() -> runner.stoppedAfterStallMillis.get() >= 0);
    assertThat(runner.stoppedAfterStallMillis.get())
        .as("ms the agent ran on after its attempt was gone")
        .isBetween(handoverWait.toMillis() - 700, handoverWait.toMillis() + 5000);
    assertThat(runner.starts).hasValue(1);
  }

  @Test
  void aCancellationStopsTheRunTheRetriedAttemptTookOver() {
    start(3, Duration.ofSeconds(30));
    runner.beatsAfterStall = 300;

    WorkflowClient.start(execution()::run, "e1");
    await().atMost(Duration.ofSeconds(30)).until(() -> pendingAgentAttempt() > 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.beatenAfterStall.get() > 0);
    env.getWorkflowClient().newWorkflowStub(ExecutionWorkflow.class, WORKFLOW_ID).cancel("enough");
    CallbackState result =
        env.getWorkflowClient().newUntypedWorkflowStub(WORKFLOW_ID).getResult(CallbackState.class);

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(runner.stoppedAfterStallMillis.get()).isNotNegative();
    assertThat(runner.starts).hasValue(1);
    assertThat(steps.outcomes).containsExactly(AgentOutcome.cancelled("enough"));
  }

  @Test
  void anEagerRunWhoseAdoptingAttemptTimedOutGoesOnAndRecordsItsEnd() {
    runner.stallFirstRun = false;
    runner.beatsAfterStall = 60;
    List<AgentOutcome> recorded = new CopyOnWriteArrayList<>();
    ExecutionStore store = NotingStore.of(new CopyOnWriteArrayList<>());
    AgentRun agentRun = agentRun();
    EagerRuns eager =
        new EagerRuns(
            store,
            agentRun,
            (executionId, outcome, token) -> {
              recorded.add(outcome);
              return CallbackState.DELIVERED;
            },
            new AdmissionControl(null, null, null, null, Clock.systemUTC(), 0),
            Clock.systemUTC(),
            new AgentSlots(4),
            Duration.ZERO);
    try {
      // Its adopting attempts heartbeat less often than the heartbeat timeout: each times out.
      start(
          2,
          new AdoptingAgentActivities(
              new AgentActivitiesImpl(agentRun, AgentSlots.unlimited(), null),
              eager,
              store,
              Clock.systemUTC(),
              HEARTBEAT_TIMEOUT.multipliedBy(2)));
      eager
          .claim(OneAgent.AGENT)
          .orElseThrow()
          .launch(eagerExecution(), null, () -> WorkflowClient.start(execution()::run, "e1"));

      await().atMost(Duration.ofSeconds(30)).until(() -> !recorded.isEmpty());

      assertThat(recorded).containsExactly(AgentOutcome.completed("done by run 1", null));
      assertThat(runner.starts).hasValue(1);
      assertThat(runner.stoppedAfterStallMillis).hasValue(-1);
    } finally {
      eager.close();
    }
  }

  private static Execution eagerExecution() {
    return new Execution(
        "e1",
        Instant.now(),
        Map.of(),
        1,
        new ExecutionSpec(
            "stalling", "hi", null, Duration.ofMinutes(1), null, OnCallerGone.CANCEL, null),
        ExecutionStatus.pending(CallbackStatus.none()));
  }

  private void start(int maxAttempts, Duration handoverWait) {
    AttemptRuns attempts = new AttemptRuns(handoverWait, Duration.ofMillis(200));
    start(
        maxAttempts,
        attempts.around(new AgentActivitiesImpl(agentRun(), AgentSlots.unlimited(), attempts)));
  }

  private void start(int maxAttempts, AgentActivities agentActivity) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    var options =
        new ExecutionWorkflowOptions(
            HEARTBEAT_TIMEOUT,
            Duration.ofSeconds(30),
            maxAttempts,
            Duration.ofSeconds(10),
            Duration.ofHours(1));
    AgentInvocation invocation =
        new AgentInvocation(
            "e1", "stalling", "hi", Duration.ofMinutes(1), TaskQueues.AGENTS, List.of());
    steps = new StoreSteps(Admission.admitted(invocation));
    var executions = env.newWorker(TaskQueues.EXECUTIONS);
    executions.registerWorkflowImplementationFactory(
        ExecutionWorkflow.class, () -> new ExecutionWorkflowImpl(options));
    executions.registerActivitiesImplementations(steps, (EagerRunActivities) id -> null);
    env.newWorker(
            TaskQueues.AGENTS,
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(200))
                .build())
        .registerActivitiesImplementations(agentActivity);
    env.start();
  }

  private AgentRun agentRun() {
    return new AgentRun(
        new OneAgent(),
        AgentRunners.of(runner),
        RunMonitor.NONE,
        Clock.systemUTC(),
        EventRecorder.NONE,
        EventLimits.DEFAULT);
  }

  private ExecutionWorkflow execution() {
    return env.getWorkflowClient()
        .newWorkflowStub(
            ExecutionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.EXECUTIONS)
                .setWorkflowId(WORKFLOW_ID)
                .build());
  }

  private long agentAttemptsStarted() {
    return env.getWorkflowClient().fetchHistory(WORKFLOW_ID).getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        .mapToLong(event -> event.getActivityTaskStartedEventAttributes().getAttempt())
        .max()
        .orElse(0);
  }

  /** The attempt of the agent activity in flight, 0 when none is. */
  private int pendingAgentAttempt() {
    return env
        .getWorkflowClient()
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(WORKFLOW_ID))
                .build())
        .getPendingActivitiesList()
        .stream()
        .mapToInt(PendingActivityInfo::getAttempt)
        .max()
        .orElse(0);
  }

  /** The one agent, of the stalling runner. */
  private static final class OneAgent implements AgentCatalog {
    static final AgentDefinition AGENT =
        new AgentDefinition(
            "stalling",
            "",
            "stalling",
            JsonNodeFactory.instance.objectNode(),
            Duration.ofMinutes(1),
            OnCallerGone.CANCEL,
            0);

    @Override
    public List<AgentDefinition> list() {
      return List.of(AGENT);
    }

    @Override
    public Optional<AgentDefinition> find(String name) {
      return Optional.of(AGENT).filter(a -> a.name().equals(name));
    }
  }

  /**
   * Its first run goes silent for {@link #STALL} (longer than the heartbeat timeout), then beats
   * every 100 ms {@code beatsAfterStall} times; later runs beat at once. Counts runs and how many
   * ran at once, and notes when a run was stopped after its stall.
   */
  private static final class StallingRunner implements AgentRunner {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger beatenAfterStall = new AtomicInteger();
    final AtomicLong stoppedAfterStallMillis = new AtomicLong(-1);
    volatile int beatsAfterStall;
    volatile boolean stallFirstRun = true;

    @Override
    public String type() {
      return "stalling";
    }

    @Override
    public void validate(AgentDefinition agent) {}

    @Override
    public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
      int run = starts.incrementAndGet();
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (run == 1 && stallFirstRun) {
          sleep(STALL.toMillis());
        }
        long stallEnded = System.nanoTime();
        try {
          for (int i = 0; i < beatsAfterStall; i++) {
            context.heartbeat("working");
            beatenAfterStall.incrementAndGet();
            sleep(100);
          }
        } catch (AgentCancelledException e) {
          stoppedAfterStallMillis.set((System.nanoTime() - stallEnded) / 1_000_000);
          throw e;
        }
        return AgentOutput.text("done by run " + run);
      } finally {
        running.decrementAndGet();
      }
    }

    private static void sleep(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
