package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import dev.baton.execution.ExecutionError;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that disappears (its workflow terminated) while its agent runs: Baton notices on the
 * relay heartbeat, records CALLER_GONE, and stops the agent unless it is declared {@code
 * onCallerGone: continue}.
 */
class CallerGoneTest {
  private static final Duration RELAY_INTERVAL = Duration.ofMillis(500);
  private static final Duration CALLER_GONE_GRACE = Duration.ofSeconds(1);

  @TempDir static Path home;
  @TempDir static Path files;
  static TestBaton baton;

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .config(
                config -> config.relayInterval(RELAY_INTERVAL).callerGoneGrace(CALLER_GONE_GRACE))
            .agent("pid", AgentProcesses.PID_SCRIPT, "2m")
            .agent(
                "pid-continue",
                "echo \"$$ $$\" > \"$BATON_MESSAGE\"; sleep 5; echo finished anyway",
                "2m",
                "onCallerGone: continue")
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void terminatedCallerStopsItsAgentAndIsRecordedAsGone() {
    // given a caller whose agent (on_caller_gone: cancel, the default) is running
    Path pidFile = files.resolve("gone-cancel.pids");
    ConfiguredCallerWorkflow caller = baton.configuredCaller("gone-cancel");
    WorkflowClient.execute(
        caller::call,
        AgentCall.of("pid", pidFile.toString()),
        CallSettings.oneAttempt(Duration.ofMinutes(1)));
    List<Long> agent = AgentProcesses.awaitPids(pidFile, Duration.ofSeconds(20));
    String id = baton.runningExecutionOf("gone-cancel").getMetadata().getId();

    // when the caller's workflow is terminated
    WorkflowStub.fromTyped(caller).terminate("test: caller gone");

    // then, after the grace period, the agent is stopped and the callback is CALLER_GONE
    await()
        .atMost(CALLER_GONE_GRACE.plus(RELAY_INTERVAL.multipliedBy(2)).plusSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> AgentProcesses.allGone(agent));
    AgentExecution execution =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> baton.get(id), e -> e.getStatus().getPhase() != ExecutionPhase.IN_PROGRESS);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(execution.getStatus().getError().getType()).isEqualTo(ExecutionError.CALLER_GONE);
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.CALLER_GONE);
    assertThat(execution.getStatus().getCallback().getLastError()).contains("NOT_FOUND");
  }

  @Test
  void terminatedCallerLeavesAgentDeclaredContinueToFinish() {
    // given a caller whose agent is declared onCallerGone: continue
    Path pidFile = files.resolve("gone-continue.pids");
    ConfiguredCallerWorkflow caller = baton.configuredCaller("gone-continue");
    WorkflowClient.execute(
        caller::call,
        AgentCall.of("pid-continue", pidFile.toString()),
        CallSettings.oneAttempt(Duration.ofMinutes(1)));
    AgentProcesses.awaitPids(pidFile, Duration.ofSeconds(20));
    String id = baton.runningExecutionOf("gone-continue").getMetadata().getId();

    // when the caller's workflow is terminated
    WorkflowStub.fromTyped(caller).terminate("test: caller gone");

    // then Baton records the caller as gone while the agent keeps running, and it completes
    await()
        .atMost(CALLER_GONE_GRACE.plus(RELAY_INTERVAL.multipliedBy(2)).plusSeconds(2))
        .until(
            () -> baton.get(id).getStatus().getCallback().getState() == CallbackState.CALLER_GONE);
    assertThat(baton.get(id).getStatus().getPhase()).isEqualTo(ExecutionPhase.IN_PROGRESS);
    AgentExecution execution =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> baton.get(id), e -> e.getStatus().getPhase() != ExecutionPhase.IN_PROGRESS);
    assertThat(execution.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(execution.getStatus().getOutput()).isEqualTo("finished anyway");
    assertThat(execution.getStatus().getCallback().getState()).isEqualTo(CallbackState.CALLER_GONE);
  }
}
