package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.TaskQueues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton exec describe} over real gRPC, a real server and its embedded Temporal. */
class ExecDescribeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;
  private static RealBatonServer server;

  @BeforeAll
  static void start() {
    server =
        RealBatonServer.start(
            home,
            Map.of(
                "sleeper.yaml",
                """
                name: sleeper
                description: Sleeps for ten minutes unless cancelled
                runner: command
                timeout: 10m
                settings:
                  command: [sh, -c, "sleep 600"]
                """,
                "napper.yaml",
                """
                name: napper
                description: Answers after seven seconds, past the eager workflow delay
                runner: command
                timeout: 1m
                settings:
                  command: [sh, -c, "sleep 7; echo rested"]
                """));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void showsTheRunningWorkflowAndItsPendingRunAgentActivity() {
    String id = created("sleeper");
    awaitPhase(id, "IN_PROGRESS");

    JsonNode json =
        awaitDescribed(id, d -> d.at("/workflow/pendingActivities/0/state").asText(), "STARTED");
    CliResult table = baton("exec", "describe", id);
    baton("exec", "cancel", id);

    assertThat(json.at("/execution/metadata/id").asText()).isEqualTo(id);
    assertThat(json.at("/workflow/workflowId").asText()).isEqualTo(ExecutionIds.workflowId(id));
    assertThat(json.at("/workflow/status").asText()).isEqualTo("RUNNING");
    assertThat(json.at("/workflow/runId").asText()).isNotEmpty();
    assertThat(json.at("/workflow/taskQueue").asText()).isEqualTo(TaskQueues.EXECUTIONS);
    assertThat(json.at("/workflow/pendingActivities/0/activityType").asText())
        .isEqualTo("RunAgent");
    assertThat(json.at("/workflow/pendingActivities/0/attempt").asInt()).isEqualTo(1);
    assertThat(json.has("callerWorkflow")).isFalse();
    assertThat(json.has("callbackWorkflow")).isFalse();
    assertThat(table.exitCode()).as(table.err()).isEqualTo(ExitCodes.OK);
    assertThat(table.out())
        .contains("ID:", id, "Phase:", "IN_PROGRESS")
        .contains("Execution workflow " + ExecutionIds.workflowId(id) + ":")
        .contains("Status:", "RUNNING")
        .contains("Task queue:", TaskQueues.EXECUTIONS)
        .containsPattern("Pending: +RunAgent \\(activity [^)]+\\) STARTED, attempt 1 of 3");
  }

  @Test
  void showsAQuickEagerExecutionWithoutAWorkflowAndSaysWhy() {
    String id = created("shout");
    awaitPhase(id, "COMPLETED");

    JsonNode json = json(baton("exec", "describe", id, "-o", "json"));
    CliResult table = baton("exec", "describe", id);

    assertThat(json.at("/execution/status/output").asText()).isEqualTo("HI");
    assertThat(json.at("/workflow/workflowId").asText()).isEqualTo(ExecutionIds.workflowId(id));
    assertThat(json.at("/workflow/status").asText()).isEqualTo("NOT_FOUND");
    assertThat(table.out())
        .contains("Status:", "NOT_FOUND")
        .contains("starts once the agent outlives the server's --eager-workflow-delay");
  }

  @Test
  void showsAFinishedWorkflowWithNothingPending() {
    // An agent that outlives the eager workflow delay (5 s), so its execution has a workflow.
    String id = created("napper");
    awaitPhase(id, "COMPLETED");

    JsonNode json = awaitDescribed(id, d -> d.at("/workflow/status").asText(), "COMPLETED");

    assertThat(json.at("/workflow/historyLength").asLong()).isPositive();
    assertThat(json.at("/workflow/closeTime").asText()).isNotEmpty();
    assertThat(json.has("pendingActivities")).isFalse();
    assertThat(json.at("/workflow/pendingActivities").isMissingNode()).isTrue();
  }

  @Test
  void unknownIdExitsWith3() {
    CliResult result = baton("exec", "describe", "01JD3Z8Q4W5X6Y7Z8A9B0C1D2E");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).contains("no execution with id 01JD3Z8Q4W5X6Y7Z8A9B0C1D2E");
  }

  private static String created(String agent) {
    return json(baton("exec", "create", "--agent", agent, "--message", "hi", "-o", "json"))
        .at("/metadata/id")
        .asText();
  }

  /** The description, once the field {@code at} reads {@code expected}. */
  private static JsonNode awaitDescribed(
      String id, java.util.function.Function<JsonNode, String> at, String expected) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> json(baton("exec", "describe", id, "-o", "json")),
            d -> at.apply(d).equals(expected));
  }

  private static void awaitPhase(String id, String phase) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> json(baton("exec", "get", id, "-o", "json")).at("/status/phase").asText(),
            phase::equals);
  }

  private static CliResult baton(String... args) {
    return Cli.run(
        Stream.concat(Arrays.stream(args), Stream.of("--address", server.address()))
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
