package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.callback.AgentResult;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caller retries and the heartbeat relay, with the server's default relay interval (10 s) and
 * caller-gone grace (60 s): a retried attempt finds its agent still running, and a caller with a
 * heartbeat timeout far shorter than the default interval is kept alive.
 */
class CallerRetryAndHeartbeatTest {
  private static final String FLAKY_QUEUE = "caller-flaky-create";

  @TempDir static Path home;
  @TempDir static Path runs;
  static TestBaton baton;
  static BatonClient unreachable;
  static FirstAttemptUnreachable flaky;

  @BeforeAll
  static void start() {
    unreachable = BatonClient.connect("127.0.0.1:" + closedPort(), Duration.ofSeconds(2));
    baton =
        TestBaton.builder(home)
            .agent(
                "counted-slow",
                "echo \"$BATON_EXECUTION_ID\" >> \"$BATON_MESSAGE\"; sleep 6;"
                    + " echo \"ran $BATON_EXECUTION_ID\"",
                "1m")
            .agent(
                "counted",
                "echo \"$BATON_EXECUTION_ID\" >> \"$BATON_MESSAGE\"; echo \"ran $BATON_EXECUTION_ID\"",
                "1m")
            .agent(
                "twenty-seconds",
                "echo 'step 1 of 2' >&2; sleep 10; echo 'step 2 of 2' >&2; sleep 10; echo alive",
                "1m")
            .callerWorkers(
                (factory, reachable) -> {
                  Worker worker = factory.newWorker(FLAKY_QUEUE);
                  worker.registerWorkflowImplementationTypes(ConfiguredCallerWorkflowImpl.class);
                  flaky =
                      new FirstAttemptUnreachable(
                          new AgentCallActivitiesImpl(unreachable),
                          new AgentCallActivitiesImpl(reachable));
                  worker.registerActivitiesImplementations(flaky);
                })
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
    unreachable.close();
  }

  @Test
  void retryAfterAttemptTimeoutRebindsToTheRunningAgentWhichRunsOnce() {
    // given a caller whose attempts (5 s) are shorter than the agent (6 s) but two are longer
    Path runLog = runs.resolve("attempt-timeout.log");
    CallSettings settings =
        CallSettings.oneAttempt(Duration.ofSeconds(5)).withRetries(3, Duration.ofMillis(200));

    // when it calls the agent
    AgentResult result =
        baton
            .configuredCaller("attempt-timeout")
            .call(AgentCall.of("counted-slow", runLog.toString()), settings);

    // then a later attempt got the agent's own result, from the one execution, run once
    assertThat(result.output()).isEqualTo("ran " + result.executionId());
    assertThat(result.phase()).isEqualTo("COMPLETED");
    assertThat(AgentProcesses.lines(runLog)).containsExactly(result.executionId());
    List<AgentExecution> executions = baton.executionsOf("attempt-timeout");
    assertThat(executions).hasSize(1);
    AgentExecution execution = executions.get(0);
    assertThat(execution.getMetadata().getId()).isEqualTo(result.executionId());
    assertThat(execution.getSpec().getCaller().getAttempt())
        .as("the token bound at the end is a retried attempt's")
        .isGreaterThanOrEqualTo(2);
    assertThat(baton.settled(result.executionId()).getStatus().getCallback().getState())
        .isEqualTo(CallbackState.DELIVERED);
  }

  @Test
  void retryAfterTransientCreateErrorStartsOneExecution() {
    // given a caller worker whose first attempt cannot reach Baton (a closed port)
    Path runLog = runs.resolve("transient-create.log");
    CallSettings settings =
        CallSettings.oneAttempt(Duration.ofSeconds(30)).withRetries(3, Duration.ofMillis(200));

    // when it calls the agent
    AgentResult result =
        baton
            .configuredCaller("transient-create", FLAKY_QUEUE)
            .call(AgentCall.of("counted", runLog.toString()), settings);

    // then the first attempt failed as retryable BatonUnavailable and the retry ran the agent once
    assertThat(flaky.failures).containsExactly(AgentCallActivitiesImpl.UNAVAILABLE);
    assertThat(result.output()).isEqualTo("ran " + result.executionId());
    assertThat(AgentProcesses.lines(runLog)).containsExactly(result.executionId());
    List<AgentExecution> executions = baton.executionsOf("transient-create");
    assertThat(executions).hasSize(1);
    assertThat(executions.get(0).getSpec().getCaller().getAttempt()).isEqualTo(2);
  }

  @Test
  void callerWithTwoSecondHeartbeatTimeoutStaysAliveThroughTwentySecondAgent() {
    // given a caller that times out after 2 s without a heartbeat, in one attempt
    CallSettings settings =
        CallSettings.oneAttempt(Duration.ofMinutes(1)).withHeartbeatTimeout(Duration.ofSeconds(2));
    ConfiguredCallerWorkflow caller = baton.configuredCaller("heartbeat-2s");

    // when it calls an agent that takes 20 s
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(caller::call, AgentCall.of("twenty-seconds", "go"), settings);

    // then Baton heartbeats it with the agent's latest progress while the agent runs
    await()
        .atMost(Duration.ofSeconds(18))
        .until(
            () -> baton.heartbeatDetails("heartbeat-2s"),
            d -> d.equals(Optional.of("step 2 of 2")));
    // and the call ends with the agent's result, not a heartbeat timeout
    AgentResult result = call.join();
    assertThat(result.output()).isEqualTo("alive");
    assertThat(result.durationMillis()).isGreaterThanOrEqualTo(20_000);
    AgentExecution execution = baton.get(result.executionId());
    assertThat(execution.getSpec().getCallerHeartbeatTimeout().getSeconds()).isEqualTo(2);
    assertThat(execution.getSpec().getCaller().getAttempt()).isEqualTo(1);
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A caller worker whose first attempt's Baton client points at a port nobody listens on. */
  static final class FirstAttemptUnreachable implements AgentCallActivities {
    private final AgentCallActivities unreachable;
    private final AgentCallActivities reachable;

    /** The failure types the unreachable attempts ended with. */
    final List<String> failures = new CopyOnWriteArrayList<>();

    FirstAttemptUnreachable(AgentCallActivities unreachable, AgentCallActivities reachable) {
      this.unreachable = unreachable;
      this.reachable = reachable;
    }

    @Override
    public AgentResult callAgent(AgentCall call) {
      if (Activity.getExecutionContext().getInfo().getAttempt() > 1) {
        return reachable.callAgent(call);
      }
      try {
        return unreachable.callAgent(call);
      } catch (ApplicationFailure failure) {
        failures.add(failure.getType());
        throw failure;
      }
    }
  }
}
