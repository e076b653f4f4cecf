package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.Fixtures;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecWatchCommandTest {

  private static final AgentExecution PENDING = Fixtures.pending("exec-1", "echo");

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void printsEveryUpdateInOrderThenTheOutput() {
    server
        .executions()
        .updates(
            "exec-1",
            PENDING,
            Fixtures.running(PENDING),
            Fixtures.completed(PENDING, "line one\nline two\n"));

    CliResult result = Cli.run("exec", "watch", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            String.join(
                "\n",
                "2025-01-31T09:30:00Z  #1  PENDING",
                "2025-01-31T09:30:02Z  #2  IN_PROGRESS",
                "2025-01-31T09:31:32Z  #3  COMPLETED",
                "line one",
                "line two",
                ""));
    assertThat(server.executions().only(WatchExecutionRequest.class).getId()).isEqualTo("exec-1");
  }

  @Test
  void exitsWith4AndPrintsTheErrorWhenTheExecutionFails() {
    server
        .executions()
        .updates(
            "exec-1",
            Fixtures.running(PENDING),
            Fixtures.ended(PENDING, ExecutionPhase.FAILED, "AgentTimeout", "no answer within 5m"));

    CliResult result = Cli.run("exec", "watch", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.EXECUTION_UNSUCCESSFUL);
    assertThat(result.out())
        .endsWith("#3  FAILED\n" + "failed: AgentTimeout: no answer within 5m\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void exitsWith4WhenTheExecutionIsCancelled() {
    AgentExecution.Builder cancelled = Fixtures.running(PENDING).toBuilder();
    cancelled.getStatusBuilder().setPhase(ExecutionPhase.CANCELLED).setEndTime(Fixtures.at(10));
    cancelled.getMetadataBuilder().setSequence(3);
    server.executions().updates("exec-1", cancelled.build());

    CliResult result = Cli.run("exec", "watch", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.EXECUTION_UNSUCCESSFUL);
    assertThat(result.out()).isEqualTo("2025-01-31T09:30:10Z  #3  CANCELLED\ncancelled\n");
  }

  @Test
  void printsOneJsonObjectPerLine() {
    List<AgentExecution> updates =
        List.of(PENDING, Fixtures.running(PENDING), Fixtures.completed(PENDING, "done"));
    server.executions().updates("exec-1", updates.toArray(AgentExecution[]::new));

    CliResult result =
        Cli.run("exec", "watch", "exec-1", "-o", "json", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines().map(ExecWatchCommandTest::parse).toList()).isEqualTo(updates);
  }

  @Test
  void streamEndingBeforeTheExecutionExitsWith1() {
    server.executions().updates("exec-1", PENDING, Fixtures.running(PENDING));

    CliResult result = Cli.run("exec", "watch", "exec-1", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(result.out()).contains("#2  IN_PROGRESS");
    assertThat(result.err())
        .isEqualTo(
            "error: the server ended the watch of execution exec-1 before it finished (last"
                + " phase seen: IN_PROGRESS); run `baton exec watch exec-1` again\n");
  }

  @Test
  void serverStoppingDuringTheWatchExitsWith5AsUnavailable() throws Exception {
    server.executions().updatesThenHoldOpen("exec-1", PENDING, Fixtures.running(PENDING));
    String address = server.address();
    CompletableFuture<CliResult> watching =
        CompletableFuture.supplyAsync(
            () -> Cli.run("exec", "watch", "exec-1", "--address", address));
    await().until(() -> !server.executions().requests().isEmpty());

    server.close();
    CliResult result = watching.get(30, TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .startsWith("error: the Baton server at " + address)
        .contains("`baton server` is running")
        .doesNotContain("failed the request");
  }

  @Test
  void helpWrapsTheDescriptionAsOneParagraph() {
    String help = Cli.run("exec", "watch", "--help").out();

    assertThat(help)
        .doesNotContain("(indented:\n")
        .contains("'│' a log line")
        .contains("\nWith -o json, one JSON object per line");
    assertThat(help.lines().filter(line -> line.startsWith("'"))).isEmpty();
  }

  @Test
  void unknownIdExitsWith3() {
    CliResult result = Cli.run("exec", "watch", "exec-9", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).isEqualTo("error: execution exec-9 not found\n");
  }

  private static AgentExecution parse(String line) {
    AgentExecution.Builder execution = AgentExecution.newBuilder();
    try {
      JsonFormat.parser().merge(line, execution);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not an execution: " + line, e);
    }
    return execution.build();
  }
}
