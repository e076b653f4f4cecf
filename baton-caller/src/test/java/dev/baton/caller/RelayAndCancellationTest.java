package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.callback.AgentExecutionFailure;
import dev.baton.callback.AgentResult;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import dev.baton.execution.ExecutionError;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancellation both ways: a caller that cancels stops its agent (Baton learns it on the next relay
 * heartbeat), and a Cancel through Baton's API reaches the caller as a cancellation.
 */
class RelayAndCancellationTest {
  static final Duration RELAY_INTERVAL = Duration.ofMillis(500);
  private static final Duration CALLER_HEARS_WITHIN = Duration.ofSeconds(15);

  @TempDir static Path home;
  @TempDir static Path files;
  static TestBaton baton;

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .config(config -> config.relayInterval(RELAY_INTERVAL))
            .agent("pid", AgentProcesses.PID_SCRIPT, "2m")
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void callerCancellationStopsAgentWithinTwoSecondsOfNextRelayHeartbeat() {
    // given a caller, waiting for Baton to confirm a cancellation, whose agent is running
    Path pidFile = files.resolve("caller-cancels.pids");
    ConfiguredCallerWorkflow caller = baton.configuredCaller("caller-cancels");
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("pid", pidFile.toString()),
            CallSettings.oneAttempt(Duration.ofMinutes(1))
                .withCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED));
    List<Long> agent = AgentProcesses.awaitPids(pidFile, Duration.ofSeconds(20));
    String id = baton.runningExecutionOf("caller-cancels").getMetadata().getId();

    // when the caller's workflow is cancelled
    WorkflowStub.fromTyped(caller).cancel();

    // then the agent's processes are gone within 2 s of the next relay heartbeat
    await()
        .atMost(RELAY_INTERVAL.plusSeconds(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> AgentProcesses.allGone(agent));
    // and the execution is CANCELLED by the caller, which Baton told of the cancellation
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

  /**
   * Temporal refuses a cancellation report for an activity its workflow did not ask to cancel
   * (INVALID_ARGUMENT on a real server, INTERNAL on the test server), so Baton reports it as an
   * {@code AgentExecutionFailed} failure of error type {@code Cancelled}; before that, the caller
   * waited for its start-to-close timeout.
   */
  @Test
  void cancelThroughApiStopsAgentAndFailsCallerWithCancelled() {
    // given a caller whose agent is running
    Path pidFile = files.resolve("api-cancel.pids");
    ConfiguredCallerWorkflow caller = baton.configuredCaller("api-cancel");
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("pid", pidFile.toString()),
            CallSettings.oneAttempt(Duration.ofMinutes(1)));
    List<Long> agent = AgentProcesses.awaitPids(pidFile, Duration.ofSeconds(20));
    String id = baton.runningExecutionOf("api-cancel").getMetadata().getId();

    // when an operator cancels the execution through the API
    baton.api.cancel(
        CancelExecutionRequest.newBuilder().setId(id).setReason("operator stopped it").build());

    // then the agent stops, the execution is CANCELLED and the caller hears why at once
    await().atMost(Duration.ofSeconds(15)).until(() -> AgentProcesses.allGone(agent));
    Throwable thrown =
        catchThrowable(() -> call.get(CALLER_HEARS_WITHIN.toSeconds(), TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause().getCause()).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause().getCause();
    assertThat(failure.getType()).isEqualTo(AgentExecutionFailure.TYPE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).isEqualTo("operator stopped it");
    AgentExecutionFailure details = failure.getDetails().get(AgentExecutionFailure.class);
    assertThat(details.errorType()).isEqualTo(ExecutionError.CANCELLED);
    assertThat(details.executionId()).isEqualTo(id);
    AgentExecution execution = baton.settled(id);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(execution.getStatus().getError().getMessage()).contains("operator stopped it");
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
  }

  @Test
  void cancelOfFinishedExecutionReturnsItUnchanged() {
    // given an execution that completed
    AgentExecution created =
        baton.api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("shout").setMessage("done already"))
                .build());
    String id = created.getMetadata().getId();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> baton.get(id).getStatus().getPhase() == ExecutionPhase.COMPLETED);
    AgentExecution before = baton.get(id);

    // when it is cancelled, twice
    AgentExecution first =
        baton.api.cancel(CancelExecutionRequest.newBuilder().setId(id).setReason("late").build());
    AgentExecution second = baton.api.cancel(CancelExecutionRequest.newBuilder().setId(id).build());

    // then each answer is the finished execution, and nothing changed
    assertThat(first).isEqualTo(before);
    assertThat(second).isEqualTo(before);
    assertThat(baton.get(id)).isEqualTo(before);
    assertThat(before.getStatus().getOutput()).isEqualTo("DONE ALREADY");
  }
}
