package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.callback.AgentResult;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import dev.baton.execution.ExecutionError;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callers of external agents are relayed as those of built-in ones: heartbeated while the agent
 * runs in another worker (so a caller with a short heartbeat timeout outlives it), and when the
 * caller cancels or goes away, the agent's activity is cancelled in that worker.
 */
class ExternalCallerRelayTest {
  private static final String QUEUE = "test-relayed-agents";
  private static final Duration RELAY_INTERVAL = Duration.ofMillis(500);
  private static final Duration CALLER_GONE_GRACE = Duration.ofSeconds(1);

  /** Well within one relay interval plus the external worker's heartbeat throttle. */
  private static final Duration AGENT_STOPS_WITHIN = Duration.ofSeconds(5);

  @TempDir static Path home;
  static TestBaton baton;

  /** What the external worker saw of each execution: "running", then "completed"/"cancelled". */
  static final Map<String, String> runs = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .config(
                config -> config.relayInterval(RELAY_INTERVAL).callerGoneGrace(CALLER_GONE_GRACE))
            .agentYaml(
                "relayed",
                "name: relayed\nrunner: external\ntimeout: 2m\nsettings:\n  taskQueue: "
                    + QUEUE
                    + "\n")
            .callerWorkers(
                (factory, client) ->
                    factory
                        .newWorker(
                            QUEUE,
                            WorkerOptions.newBuilder()
                                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(200))
                                .build())
                        .registerActivitiesImplementations(new TimedExternalAgent()))
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void callerWithAShortHeartbeatTimeoutOutlivesItWhileTheExternalAgentRuns() {
    // given a caller whose activity must heartbeat every 2 s, calling an agent that runs 6 s
    ConfiguredCallerWorkflow caller = baton.configuredCaller("external-short-heartbeat");

    // when it calls the external agent
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("relayed", "6000"),
            CallSettings.oneAttempt(Duration.ofMinutes(1))
                .withHeartbeatTimeout(Duration.ofSeconds(2)));

    // then the caller's activity hears the agent's progress while it runs
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> baton.heartbeatDetails("external-short-heartbeat").orElse(""), "step 1"::equals);
    // and the relay kept the caller's activity alive to the agent's answer
    AgentResult result = call.join();
    assertThat(result.phase()).isEqualTo("COMPLETED");
    assertThat(result.output()).isEqualTo("ran 6000 ms");
    assertThat(runs).containsEntry(result.executionId(), "completed");
  }

  @Test
  void theExternalWorkersProgressIsStoredAsEventsThatWatchStreams() {
    // given an execution of the external agent that nobody waits for (no caller to relay)
    String id =
        baton
            .api
            .create(
                CreateExecutionRequest.newBuilder()
                    .setSpec(ExecutionSpec.newBuilder().setAgent("relayed").setMessage("2500"))
                    .build())
            .getMetadata()
            .getId();

    // when it is watched to its end
    List<String> progress = new ArrayList<>();
    Iterator<WatchExecutionResponse> updates =
        baton.api.watch(WatchExecutionRequest.newBuilder().setId(id).build());
    while (updates.hasNext()) {
      WatchExecutionResponse update = updates.next();
      if (update.hasEvent()) {
        progress.add(update.getEvent().getText());
      }
    }

    // then each new progress of the worker was an event, in order
    assertThat(progress).startsWith("step 1").contains("step 2").doesNotHaveDuplicates();
    assertThat(baton.get(id).getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
  }

  @Test
  void callerCancellationCancelsTheExternalAgentsActivity() {
    // given a caller, waiting for Baton to confirm a cancellation, whose external agent runs
    ConfiguredCallerWorkflow caller = baton.configuredCaller("external-caller-cancels");
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("relayed", "60000"),
            CallSettings.oneAttempt(Duration.ofMinutes(2))
                .withCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED));
    String id = baton.runningExecutionOf("external-caller-cancels").getMetadata().getId();
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(runs.get(id)));

    // when the caller's workflow is cancelled
    WorkflowStub.fromTyped(caller).cancel();

    // then the external worker's activity is cancelled and the caller hears the cancellation
    await().atMost(AGENT_STOPS_WITHIN).until(() -> "cancelled".equals(runs.get(id)));
    Throwable thrown = catchThrowable(call::join);
    assertThat(thrown).isInstanceOf(CompletionException.class);
    assertThat(thrown.getCause()).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause().getCause()).isInstanceOf(CanceledFailure.class);
    AgentExecution execution = baton.settled(id);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(execution.getStatus().getError().getType())
        .isEqualTo(ExecutionError.CALLER_CANCELLED);
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
  }

  @Test
  void goneCallerCancelsTheExternalAgentsActivity() {
    // given a caller whose external agent (onCallerGone: cancel, the default) runs
    ConfiguredCallerWorkflow caller = baton.configuredCaller("external-caller-gone");
    WorkflowClient.execute(
        caller::call,
        AgentCall.of("relayed", "60000"),
        CallSettings.oneAttempt(Duration.ofMinutes(2)));
    String id = baton.runningExecutionOf("external-caller-gone").getMetadata().getId();
    await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(runs.get(id)));

    // when the caller's workflow is terminated
    WorkflowStub.fromTyped(caller).terminate("test: caller gone");

    // then, after the grace period, the agent's activity is cancelled and the caller is gone
    await()
        .atMost(CALLER_GONE_GRACE.plus(AGENT_STOPS_WITHIN))
        .until(() -> "cancelled".equals(runs.get(id)));
    AgentExecution execution =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> baton.get(id), e -> e.getStatus().getPhase() != ExecutionPhase.IN_PROGRESS);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(execution.getStatus().getError().getType()).isEqualTo(ExecutionError.CALLER_GONE);
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.CALLER_GONE);
  }

  /**
   * An external worker's agent (as the external-runner guide asks of one): runs for the number of
   * milliseconds its message says, heartbeating its progress ("step N" in its N-th second), and
   * stops when Temporal cancels its activity.
   */
  static final class TimedExternalAgent implements AgentActivities {
    private static final Set<String> FINAL = Set.of("completed", "cancelled");

    @Override
    public AgentOutput run(AgentInvocation invocation) {
      ActivityExecutionContext context = Activity.getExecutionContext();
      long millis = Long.parseLong(invocation.message());
      long start = System.nanoTime();
      long end = start + Duration.ofMillis(millis).toNanos();
      runs.put(invocation.executionId(), "running");
      try {
        while (System.nanoTime() < end) {
          context.heartbeat(
              "step " + (1 + Duration.ofNanos(System.nanoTime() - start).toSeconds()));
          Thread.sleep(100);
        }
      } catch (ActivityCompletionException cancelled) {
        runs.put(invocation.executionId(), "cancelled");
        throw cancelled;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      runs.computeIfPresent(
          invocation.executionId(), (id, state) -> FINAL.contains(state) ? state : "completed");
      return AgentOutput.text("ran " + millis + " ms");
    }
  }
}
