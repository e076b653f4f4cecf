package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The execution workflow's steps, run on Temporal's test server against stand-in store steps, and
 * its replay of histories recorded by earlier versions of it: a change that would break the replay
 * of running executions fails here rather than on a server that picks them up.
 *
 * <p>Before changing the workflow's steps, record the histories the current code makes on the paths
 * the change touches ({@code WorkflowClient.fetchHistory("agent-execution/ID").toJson(true)}
 * against a server running it) and add them to {@code histories/} and to the replay test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutionWorkflowTest {
  private static final String HISTORIES = "dev/baton/execution/histories/";

  private TestWorkflowEnvironment env;
  private Worker worker;
  private String executionsQueue = TaskQueues.EXECUTIONS;

  @BeforeEach
  void startTemporal() {
    env = TestWorkflowEnvironment.newInstance();
    worker = env.newWorker(TaskQueues.EXECUTIONS);
    worker.registerWorkflowImplementationFactory(
        ExecutionWorkflow.class,
        () -> new ExecutionWorkflowImpl(ExecutionWorkflowOptions.defaults()));
  }

  @AfterEach
  void stopTemporal() {
    env.close();
  }

  @Test
  void endsWithoutADeliveryStepWhenTheCallbackWasSettledBeforeAdmission() {
    StoreSteps steps = new StoreSteps(Admission.ended(CallbackState.DELIVERED));

    CallbackState result = run(steps);

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(steps.calls).containsExactly("admit");
    assertThat(localActivityMarkers()).isEqualTo(1);
  }

  @Test
  void deliversWhenTheExecutionEndedWithItsCallbackPending() {
    StoreSteps steps = new StoreSteps(Admission.ended(CallbackState.PENDING));

    CallbackState result = run(steps);

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(steps.calls).containsExactly("admit", "deliverCallback");
  }

  @Test
  void runsTheAgentActivityWithoutWaitingAgainWhenAdmissionAwaitedTheEagerRun() {
    AgentInvocation invocation =
        new AgentInvocation("e1", "echo", "hi", Duration.ofMinutes(1), "agents", List.of());
    StoreSteps steps = new StoreSteps(Admission.admittedAfterEagerRunWait(invocation));
    List<String> runs = new CopyOnWriteArrayList<>();
    env.newWorker("agents")
        .registerActivitiesImplementations(
            (AgentActivities)
                run -> {
                  runs.add(run.executionId());
                  return AgentOutput.text("done");
                });

    List<String> eagerWaits = new CopyOnWriteArrayList<>();

    CallbackState result =
        run(
            steps,
            id -> {
              eagerWaits.add(id);
              return null;
            });

    assertThat(eagerWaits).isEmpty();
    assertThat(runs).containsExactly("e1");
    assertThat(steps.calls).containsExactly("admit", "finish", "deliverCallback");
    assertThat(result).isEqualTo(CallbackState.DELIVERED);
  }

  @Test
  void waitsForTheEagerRunItselfAfterAnAdmissionThatDidNot() {
    AgentInvocation invocation =
        new AgentInvocation("e1", "echo", "hi", Duration.ofMinutes(1), "agents", List.of());
    StoreSteps steps = new StoreSteps(Admission.admitted(invocation));

    CallbackState result = run(steps, id -> CallbackState.DELIVERED);

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(steps.calls).containsExactly("admit");
    assertThat(localActivityMarkers()).isEqualTo(2);
  }

  /**
   * A rolling deploy stops the server under a long agent at every attempt: each stop would use one
   * of the activity's 3 attempts and end the execution FAILED although the agent never failed.
   */
  @Test
  void attemptsUsedUpByStoppingServersAreScheduledAgain() {
    AtomicInteger runs = new AtomicInteger();
    CallbackState result =
        runAgent(
            run -> {
              if (runs.incrementAndGet() <= 7) {
                throw ApplicationFailure.newFailure(
                    "the server is shutting down", EagerRuns.RUN_STOPPED);
              }
              return AgentOutput.text("done at last");
            });

    assertThat(result).isEqualTo(CallbackState.DELIVERED);
    assertThat(runs).hasValue(8);
    assertThat(lastOutcome.get()).isEqualTo(AgentOutcome.completed("done at last", null));
  }

  @Test
  void aRunnerThatKeepsCrashingStillEndsAfterItsAttempts() {
    AtomicInteger runs = new AtomicInteger();
    runAgent(
        run -> {
          runs.incrementAndGet();
          throw new IllegalStateException("the runner crashed");
        });

    assertThat(runs).hasValue(ExecutionWorkflowOptions.defaults().agentMaxAttempts());
    assertThat(lastOutcome.get().phase()).isEqualTo(ExecutionPhase.FAILED);
    assertThat(lastOutcome.get().error().message()).contains("the runner crashed");
  }

  @Test
  void serversStoppingWithoutEndAreGivenTenRoundsAtMost() {
    // One attempt per round, so that the rounds follow each other without retry backoffs.
    ExecutionWorkflowOptions defaults = ExecutionWorkflowOptions.defaults();
    worker = env.newWorker("executions-one-attempt");
    worker.registerWorkflowImplementationFactory(
        ExecutionWorkflow.class,
        () ->
            new ExecutionWorkflowImpl(
                new ExecutionWorkflowOptions(
                    defaults.agentHeartbeatTimeout(),
                    defaults.agentDeadlineGrace(),
                    1,
                    defaults.deliveryRpcDeadline(),
                    defaults.deliveryRetryWindow())));
    executionsQueue = "executions-one-attempt";
    AtomicInteger runs = new AtomicInteger();
    runAgent(
        run -> {
          runs.incrementAndGet();
          throw ApplicationFailure.newFailure(
              "WorkflowId=w, RunId=r, ActivityType=RunAgent, ActivityId=1",
              ActivityWorkerShutdownException.class.getName());
        });

    assertThat(runs).hasValue(ExecutionWorkflowImpl.MAX_AGENT_ROUNDS);
    assertThat(lastOutcome.get().phase()).isEqualTo(ExecutionPhase.FAILED);
  }

  private final AtomicReference<AgentOutcome> lastOutcome = new AtomicReference<>();

  /** Runs an admitted execution whose agent activity is {@code agent}, on queue "agents". */
  private CallbackState runAgent(AgentActivities agent) {
    AgentInvocation invocation =
        new AgentInvocation("e1", "echo", "hi", Duration.ofHours(1), "agents", List.of());
    StoreSteps steps = new StoreSteps(Admission.admittedAfterEagerRunWait(invocation));
    env.newWorker("agents").registerActivitiesImplementations(agent);
    CallbackState result = run(steps, id -> null);
    lastOutcome.set(steps.outcomes.get(steps.outcomes.size() - 1));
    return result;
  }

  /**
   * Histories of {@code baton-bench}'s instant agents under load, recorded before admission could
   * say that the callback was settled: the eager run delivered before the first step (admission
   * then a delivery step), and the first task awaited the eager run's end. And an external agent's
   * run recorded before the relay heartbeated external agents' callers.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "eager-run-delivered-before-admission.json",
        "eager-run-end-awaited.json",
        "external-agent-run.json"
      })
  void replaysHistoriesOfEarlierVersions(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(HISTORIES + history, worker);
  }

  private CallbackState run(StoreSteps steps) {
    return run(steps, id -> null);
  }

  private CallbackState run(StoreSteps steps, EagerRunActivities eagerRun) {
    worker.registerActivitiesImplementations(steps, eagerRun);
    env.start();
    return env.getWorkflowClient()
        .newWorkflowStub(
            ExecutionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(executionsQueue)
                .setWorkflowId("agent-execution/e1")
                .build())
        .run("e1");
  }

  private long localActivityMarkers() {
    List<HistoryEvent> events =
        env.getWorkflowClient().fetchHistory("agent-execution/e1").getEvents();
    return events.stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .filter(
            event ->
                event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
        .count();
  }
}
