package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallbackStatus;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecGetCommandTest {

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void printsEveryDetailAndTheFullOutputAsTable() {
    server.executions().put(withCallerAndLabels(Fixtures.completed(pending(), longOutput())));

    CliResult result = Cli.run("exec", "get", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("ID:        exec-1")
        .contains("Agent:     echo")
        .contains("Phase:     COMPLETED")
        .contains("Created:   2025-01-31T09:30:00Z")
        .contains("Started:   2025-01-31T09:30:02Z")
        .contains("Ended:     2025-01-31T09:31:32Z")
        .contains("Duration:  1m30s")
        .contains("Timeout:   5m")
        .contains("Sequence:  3")
        .contains("Labels:    env=dev, team=ml")
        .contains("Caller:    default/order-42/run-7/3 (attempt 2)")
        .contains("Callback:  DELIVERED, 1 attempt(s), token sha256:a1b2c3d4e5f6")
        .contains("Message:\n  do the thing\n")
        .contains("Output:\n  " + longOutput().replace("\n", "\n  "));
    assertThat(result.err()).isEmpty();
  }

  @Test
  void printsProtobufJson() throws Exception {
    AgentExecution failed =
        Fixtures.ended(pending(), dev.baton.api.v1.ExecutionPhase.FAILED, "AgentFailed", "boom");
    server.executions().put(failed);

    CliResult result =
        Cli.run("exec", "get", "exec-1", "-o", "json", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    AgentExecution.Builder parsed = AgentExecution.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(failed);
    assertThat(result.out()).contains("\"phase\": \"FAILED\"", "\"type\": \"AgentFailed\"");
  }

  @Test
  void neverPrintsACallbackToken() {
    AgentExecution withToken = withCallerAndLabels(Fixtures.completed(pending(), "done"));
    AgentExecution.Builder leaky = withToken.toBuilder();
    leaky.getSpecBuilder().setCallbackToken(Fixtures.TOKEN);
    server.executions().put(leaky.build());

    CliResult table = Cli.run("exec", "get", "exec-1", "--address", server.address());
    CliResult json = Cli.run("exec", "get", "exec-1", "-o", "json", "--address", server.address());

    for (CliResult result : new CliResult[] {table, json}) {
      assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
      assertThat(result.out())
          .doesNotContain("c2VjcmV0LXRva2Vu")
          .doesNotContain("secret-token")
          .doesNotContain("callbackToken");
    }
    assertThat(json.out()).contains("\"tokenFingerprint\": \"a1b2c3d4e5f6\"");
  }

  @Test
  void unknownIdExitsWith3() {
    CliResult result = Cli.run("exec", "get", "exec-404", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).contains("execution exec-404 not found");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void missingIdIsAUsageError() {
    CliResult result = Cli.run("exec", "get", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Missing required parameter: 'ID'");
  }

  private static AgentExecution pending() {
    return Fixtures.pending("exec-1", "echo");
  }

  private static String longOutput() {
    return "first line of a long answer\n" + "x".repeat(200) + "\nlast line";
  }

  private static AgentExecution withCallerAndLabels(AgentExecution execution) {
    AgentExecution.Builder builder = execution.toBuilder();
    builder.getMetadataBuilder().putLabels("team", "ml").putLabels("env", "dev");
    builder
        .getSpecBuilder()
        .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(300))
        .setCaller(
            CallerIdentity.newBuilder()
                .setNamespace("default")
                .setWorkflowId("order-42")
                .setRunId("run-7")
                .setActivityId("3")
                .setAttempt(2));
    builder
        .getStatusBuilder()
        .setCallback(
            CallbackStatus.newBuilder()
                .setState(CallbackState.DELIVERED)
                .setAttempts(1)
                .setTokenFingerprint("a1b2c3d4e5f6"));
    return builder.build();
  }
}
