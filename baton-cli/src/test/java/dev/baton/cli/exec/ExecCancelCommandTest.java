package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecCancelCommandTest {

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void sendsTheReasonAndPrintsTheExecution() {
    server
        .executions()
        .put(
            Fixtures.ended(
                Fixtures.pending("exec-1", "echo"), ExecutionPhase.CANCELLED, "Cancelled", "x"));

    CliResult result =
        Cli.run(
            "exec", "cancel", "exec-1", "--reason", "wrong prompt", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).isEqualTo("ID      AGENT  PHASE\nexec-1  echo   CANCELLED\n");
    assertThat(server.executions().only(CancelExecutionRequest.class))
        .isEqualTo(
            CancelExecutionRequest.newBuilder().setId("exec-1").setReason("wrong prompt").build());
  }

  @Test
  void unknownIdExitsWith3() {
    CliResult result = Cli.run("exec", "cancel", "exec-9", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).isEqualTo("error: execution exec-9 not found\n");
  }
}
