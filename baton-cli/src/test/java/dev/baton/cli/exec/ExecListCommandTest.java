package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecListCommandTest {

  private static final AgentExecution DONE =
      Fixtures.completed(Fixtures.pending("exec-2", "summarise"), "a summary\n" + "y".repeat(100));
  private static final AgentExecution FAILED =
      Fixtures.ended(
          Fixtures.pending("exec-1", "echo"), ExecutionPhase.FAILED, "AgentTimeout", "took 5m");
  private static final AgentExecution WAITING = Fixtures.pending("exec-3", "echo");

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void printsAlignedTableWithResultsCutShort() {
    server.executions().page("", page("", WAITING, DONE, FAILED));

    CliResult result = Cli.run("exec", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            String.join(
                "\n",
                "ID      AGENT      PHASE      CREATED               DURATION  RESULT",
                "exec-3  echo       PENDING    2025-01-31T09:30:00Z  -",
                "exec-2  summarise  COMPLETED  2025-01-31T09:30:00Z  1m30s     a summary "
                    + "y".repeat(47)
                    + "...",
                "exec-1  echo       FAILED     2025-01-31T09:30:00Z  1m30s     AgentTimeout: took 5m",
                ""));
  }

  @Test
  void printsProtobufJson() throws Exception {
    server.executions().page("", page("next-1", DONE, FAILED));

    CliResult result = Cli.run("exec", "list", "--output", "json", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    ListExecutionsResponse.Builder parsed = ListExecutionsResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(page("next-1", DONE, FAILED));
  }

  @Test
  void sendsFiltersAndPaging() {
    server.executions().page("tok-1", page(""));

    CliResult result =
        Cli.run(
            "exec",
            "list",
            "--phase",
            "failed,in-progress",
            "-p",
            "CANCELLED",
            "--agent",
            "echo",
            "--limit",
            "20",
            "--page-token",
            "tok-1",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).isEqualTo("No executions.\n");
    assertThat(server.executions().only(ListExecutionsRequest.class))
        .isEqualTo(
            ListExecutionsRequest.newBuilder()
                .addPhases(ExecutionPhase.FAILED)
                .addPhases(ExecutionPhase.IN_PROGRESS)
                .addPhases(ExecutionPhase.CANCELLED)
                .setAgent("echo")
                .setPageSize(20)
                .setPageToken("tok-1")
                .build());
  }

  @Test
  void tellsHowToGetTheNextPage() {
    server.executions().page("", page("tok-2", DONE));

    CliResult result = Cli.run("exec", "list", "--address", server.address());

    assertThat(result.out()).endsWith("\nMore executions: add --page-token tok-2 (or --all)\n");
  }

  @Test
  void allFetchesEveryPage() throws Exception {
    server.executions().page("", page("tok-2", WAITING));
    server.executions().page("tok-2", page("tok-3", DONE));
    server.executions().page("tok-3", page("", FAILED));

    CliResult result =
        Cli.run(
            "exec", "list", "--all", "--limit", "1", "-o", "json", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    ListExecutionsResponse.Builder parsed = ListExecutionsResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build()).isEqualTo(page("", WAITING, DONE, FAILED));
    assertThat(server.executions().requests())
        .extracting(request -> ((ListExecutionsRequest) request).getPageToken())
        .containsExactly("", "tok-2", "tok-3");
  }

  @Test
  void unknownPhaseIsAUsageError() {
    CliResult result = Cli.run("exec", "list", "--phase", "done", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains(
            "expected one of pending, in_progress, completed, failed, cancelled but was 'done'");
    assertThat(server.executions().requests()).isEmpty();
  }

  @Test
  void limitOutOfRangeIsAUsageError() {
    CliResult result = Cli.run("exec", "list", "--limit", "0", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--limit must be between 1 and 1000 but was 0");
  }

  private static ListExecutionsResponse page(String next, AgentExecution... executions) {
    return ListExecutionsResponse.newBuilder()
        .addAllExecutions(java.util.List.of(executions))
        .setNextPageToken(next)
        .build();
  }
}
