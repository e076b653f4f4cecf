package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.callback.AgentExecutionFailure;
import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.cli.TestCaller;
import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionStore;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyScope;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthSettings;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baton exec complete-caller} over real gRPC, a real server and its embedded Temporal, with
 * a caller workflow that really waits: the runbook's procedure for a stuck caller. The server
 * requires API keys, as in production: the caller has a write key, the operator an admin key.
 */
class ExecCompleteCallerCommandTest {
  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR_KEY = "operator-secret-7f3a";
  private static final String CALLER_KEY = "caller-secret-91c2";

  @TempDir static Path home;
  private static Path gate;
  private static RealBatonServer server;
  private static TestCaller caller;

  @BeforeAll
  static void start() {
    gate = home.resolve("gate");
    String gated =
        """
        name: gated
        description: Answers once its gate file exists
        runner: command
        timeout: 2m
        settings:
          command: [sh, -c, "while [ ! -f '%s' ]; do sleep 0.1; done; echo gate opened"]
        """
            .formatted(gate);
    String sleeper =
        """
        name: sleeper
        description: Sleeps for ten minutes unless cancelled
        runner: command
        timeout: 10m
        settings:
          command: [sh, -c, "sleep 600"]
        """;
    ApiKeys keys =
        ApiKeys.of(
            List.of(
                new ApiKey("night-shift", ApiKeyScope.ADMIN, ApiKey.sha256Hex(OPERATOR_KEY)),
                new ApiKey("caller-service", ApiKeyScope.WRITE, ApiKey.sha256Hex(CALLER_KEY))));
    server =
        RealBatonServer.start(
            home,
            Map.of("gated.yaml", gated, "sleeper.yaml", sleeper),
            settings -> settings.auth(AuthSettings.apiKeys(keys)));
    caller = TestCaller.start(server, CALLER_KEY);
  }

  @AfterAll
  static void stop() {
    if (caller != null) {
      caller.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void completesACallerWhoseDeliveryFailedAndTheCallerWorkflowContinues() throws Exception {
    WorkflowStub workflow = caller.call("stuck-caller", AgentCall.of("gated", "go"));
    Execution running = awaitExecution("stuck-caller", ExecutionPhase.IN_PROGRESS);
    // A delivery that failed for good although the caller still waits (e.g. Temporal was
    // unreachable for the whole retry window): the agent's own outcome then reaches no one.
    store()
        .updateCallback(
            running.id(),
            new CallbackStatus(
                CallbackState.FAILED,
                1,
                "simulated: delivery retried for the whole retry window",
                null,
                running.status().callback().tokenFingerprint()));
    Files.createFile(gate);
    Execution ended = awaitExecution("stuck-caller", ExecutionPhase.COMPLETED);
    assertThat(ended.status().callback().state()).isEqualTo(CallbackState.FAILED);
    JsonNode described = json(baton("exec", "describe", running.id(), "-o", "json"));
    assertThat(described.at("/callerWorkflow/status").asText()).isEqualTo("RUNNING");
    assertThat(described.at("/callerWorkflow/pendingActivities/0/activityType").asText())
        .isEqualTo("CallAgent");

    CliResult result = baton("exec", "complete-caller", running.id(), "--result", "by hand");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("Completed the caller of execution " + running.id())
        .contains("callback DELIVERED");
    assertThat(workflow.getResult(30, TimeUnit.SECONDS, AgentResult.class).output())
        .isEqualTo("by hand");
    Execution after = store().find(running.id()).orElseThrow();
    assertThat(after.status().callback().state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(after.status().output()).isEqualTo("gate opened");
    assertThat(lastEvent(running.id()).type()).isEqualTo(ExecutionEvent.Type.OPERATOR_ACTION);
    assertThat(lastEvent(running.id()).text())
        .contains("an operator (API key 'night-shift') completed the caller")
        .contains("callback was FAILED");
    assertThat(JSON.readTree(lastEvent(running.id()).data()).path("apiKey").asText())
        .isEqualTo("night-shift");
  }

  @Test
  void refusesACallerThatAlreadyHasItsOutcome() throws Exception {
    WorkflowStub workflow = caller.call("served-caller", AgentCall.of("shout", "hi"));
    workflow.getResult(30, TimeUnit.SECONDS, AgentResult.class);
    Execution delivered = awaitExecution("served-caller", ExecutionPhase.COMPLETED);

    CliResult result = baton("exec", "complete-caller", delivered.id(), "--result", "again");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(result.err())
        .startsWith("error: the server refused: the caller of execution " + delivered.id())
        .contains("already received its outcome (callback DELIVERED");
  }

  @Test
  void refusesARunningAgentUnlessForcedThenFailsTheCallerAndCancelsTheAgent() {
    WorkflowStub workflow = caller.call("impatient-caller", AgentCall.of("sleeper", "zzz"));
    Execution running = awaitExecution("impatient-caller", ExecutionPhase.IN_PROGRESS);

    CliResult refused = baton("exec", "complete-caller", running.id(), "--fail", "no time");
    CliResult forced =
        baton(
            "exec",
            "complete-caller",
            running.id(),
            "--fail",
            "agent unavailable",
            "--error-type",
            "AgentUnavailable",
            "--force");

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.err()).contains("is IN_PROGRESS: its agent still runs").contains("--force");
    assertThat(forced.exitCode()).as(forced.err()).isEqualTo(ExitCodes.OK);
    assertThat(forced.out()).contains("Failed the caller of execution " + running.id());
    WorkflowFailedException failed =
        catchThrowableOfType(
            WorkflowFailedException.class,
            () -> workflow.getResult(30, TimeUnit.SECONDS, AgentResult.class));
    ApplicationFailure failure =
        (ApplicationFailure) ((ActivityFailure) failed.getCause()).getCause();
    assertThat(failure.getType()).isEqualTo(AgentExecutionFailure.TYPE);
    AgentExecutionFailure details = failure.getDetails().get(AgentExecutionFailure.class);
    assertThat(details.errorType()).isEqualTo("AgentUnavailable");
    assertThat(details.message()).isEqualTo("agent unavailable");
    Execution cancelled = awaitExecution("impatient-caller", ExecutionPhase.CANCELLED);
    assertThat(cancelled.status().callback().state()).isEqualTo(CallbackState.DELIVERED);
  }

  @Test
  void refusesAnExecutionNobodyWaitsFor() {
    CliResult created =
        baton("exec", "create", "--agent", "shout", "--message", "hi", "-o", "json");
    String id = json(created).at("/metadata/id").asText();

    CliResult result = baton("exec", "complete-caller", id, "--result", "x");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(result.err()).contains("execution " + id + " has no callback");
  }

  @Test
  void takesExactlyOneOutcome() {
    CliResult both =
        baton(
            "exec",
            "complete-caller",
            "01JD3Z8Q4W5X6Y7Z8A9B0C1D2E",
            "--result",
            "a",
            "--fail",
            "b");
    CliResult none = baton("exec", "complete-caller", "01JD3Z8Q4W5X6Y7Z8A9B0C1D2E");

    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("--result").contains("--fail");
  }

  private static Execution awaitExecution(String workflowId, ExecutionPhase phase) {
    return await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> caller.executionOf(workflowId).orElse(null),
            execution -> execution != null && execution.phase() == phase);
  }

  private static ExecutionEvent lastEvent(String id) {
    List<ExecutionEvent> events = store().eventsSince(id, 0, 1000);
    return events.get(events.size() - 1);
  }

  private static ExecutionStore store() {
    return server.server().store();
  }

  private static CliResult baton(String... args) {
    return Cli.run(
        Stream.concat(
                Arrays.stream(args),
                Stream.of("--address", server.address(), "--api-key", OPERATOR_KEY))
            .toArray(String[]::new));
  }

  private static JsonNode json(CliResult result) {
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    try {
      return JSON.readTree(result.out());
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + result.out(), e);
    }
  }
}
