package dev.baton.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.FakeExecutionService;
import dev.baton.cli.Fixtures;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCreateCommandTest {

  private static final String CREATED = FakeExecutionService.CREATED_ID;

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void sendsMessageLabelsTimeoutAndRequestId() {
    CliResult result =
        Cli.run(
            "exec",
            "create",
            "--agent",
            "echo",
            "--message",
            "hello there",
            "--timeout",
            "1h30m",
            "--label",
            "team=ml",
            "-l",
            "ticket=T-1=2",
            "--request-id",
            "req-7",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(server.executions().only(CreateExecutionRequest.class))
        .isEqualTo(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder()
                        .setAgent("echo")
                        .setMessage("hello there")
                        .setTimeout(Durations.fromMinutes(90)))
                .putLabels("team", "ml")
                .putLabels("ticket", "T-1=2")
                .setRequestId("req-7")
                .build());
  }

  @Test
  void printsTheNewExecutionAsTable() {
    CliResult result =
        Cli.run("exec", "create", "-a", "echo", "-m", "hi", "--address", server.address());

    assertThat(result.out()).isEqualTo("ID        AGENT  PHASE\n" + CREATED + "  echo   PENDING\n");
  }

  @Test
  void printsTheNewExecutionAsJson() throws Exception {
    CliResult result =
        Cli.run(
            "exec",
            "create",
            "-a",
            "echo",
            "-m",
            "hi",
            "-o",
            "json",
            "--address",
            server.address());

    AgentExecution.Builder parsed = AgentExecution.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.getMetadata().getId()).isEqualTo(CREATED);
    assertThat(parsed.getStatus().getPhase()).isEqualTo(ExecutionPhase.PENDING);
  }

  @Test
  void omitsTimeoutAndRequestIdWhenNotGiven() {
    Cli.run("exec", "create", "-a", "echo", "-m", "hi", "--address", server.address());

    CreateExecutionRequest sent = server.executions().only(CreateExecutionRequest.class);
    assertThat(sent.getSpec().hasTimeout()).isFalse();
    assertThat(sent.getRequestId()).isEmpty();
    assertThat(sent.getLabelsMap()).isEmpty();
    assertThat(sent.getSpec().getCallbackToken().isEmpty()).isTrue();
  }

  @Test
  void readsTheMessageFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("prompt.md");
    Files.writeString(file, "Summarise:\nlines 1 and 2 – ünïcode\n", StandardCharsets.UTF_8);

    CliResult result = createFromFile(file);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(server.executions().only(CreateExecutionRequest.class).getSpec().getMessage())
        .isEqualTo("Summarise:\nlines 1 and 2 – ünïcode\n");
  }

  @Test
  void readsTheMessageFromStdinWhenItIsADash() {
    CliResult result =
        Cli.runWithStdin(
            "from a pipe\n",
            "exec",
            "create",
            "-a",
            "echo",
            "-m",
            "-",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(server.executions().only(CreateExecutionRequest.class).getSpec().getMessage())
        .isEqualTo("from a pipe\n");
  }

  @Test
  void missingFileIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.txt");

    CliResult result = createFromFile(missing);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("cannot read --message-file " + missing + ": no such file\n")
        .doesNotContain("java.");
    assertThat(server.executions().requests()).isEmpty();
  }

  @Test
  void emptyMessageIsAUsageError() {
    CliResult result =
        Cli.runWithStdin(
            " \n", "exec", "create", "-a", "echo", "-m", "-", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("the message from standard input is empty");
  }

  @Test
  void messageAndMessageFileTogetherAreAUsageError() {
    CliResult result =
        Cli.run("exec", "create", "-a", "echo", "-m", "hi", "--message-file", "x.txt");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("mutually exclusive");
  }

  @Test
  void missingMessageIsAUsageError() {
    CliResult result = Cli.run("exec", "create", "-a", "echo");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Missing required argument");
  }

  @Test
  void malformedTimeoutIsAUsageError() {
    CliResult result =
        Cli.run("exec", "create", "-a", "echo", "-m", "hi", "--timeout", "5 minutes");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("expected a duration such as 30s, 5m, 1h30m or PT5M but was '5 minutes'");
  }

  @Test
  void labelWithoutKeyIsAUsageError() {
    CliResult result =
        Cli.run(
            "exec",
            "create",
            "-a",
            "echo",
            "-m",
            "hi",
            "--label",
            "=x",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("--label expects KEY=VALUE, got '=x'\n");
  }

  @Test
  void labelWithoutEqualsIsAUsageErrorInOneWording() {
    CliResult result = createWith("--label", "team");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("--label expects KEY=VALUE, got 'team'\n")
        .doesNotContain("option option");
  }

  @Test
  void repeatedLabelKeyIsAUsageError() {
    CliResult result = createWith("-l", "k=v", "-l", "k=w");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("--label k is given twice ('k=v' and 'k=w'); give each key once\n");
    assertThat(server.executions().requests()).isEmpty();
  }

  @Test
  void messageFileThatIsNotUtf8IsAUsageErrorSayingSo(@TempDir Path dir) throws Exception {
    Path binary = Files.write(dir.resolve("binary"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x41});

    CliResult result = createFromFile(binary);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("cannot read --message-file " + binary + ": it is not UTF-8 text\n")
        .doesNotContain("java.");
  }

  private CliResult createFromFile(Path file) {
    return Cli.run(
        "exec",
        "create",
        "-a",
        "echo",
        "--message-file",
        file.toString(),
        "--address",
        server.address());
  }

  private CliResult createWith(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("exec", "create", "-a", "echo", "-m", "hi", "--address", server.address()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void rejectedRequestExitsWith6WithTheServersMessage() {
    server
        .executions()
        .failWith(Status.INVALID_ARGUMENT.withDescription("spec.timeout must be at most 24h"));

    CliResult result =
        Cli.run(
            "exec",
            "create",
            "-a",
            "echo",
            "-m",
            "hi",
            "--timeout",
            "48h",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(result.err())
        .isEqualTo("error: the server rejected the request: spec.timeout must be at most 24h\n");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void unknownAgentExitsWith3() {
    server.executions().failWith(Status.NOT_FOUND.withDescription("no agent named ecko"));

    CliResult result =
        Cli.run("exec", "create", "-a", "ecko", "-m", "hi", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).isEqualTo("error: no agent named ecko\n");
  }

  @Test
  void watchFollowsTheNewExecutionUntilItCompletes() {
    AgentExecution pending = Fixtures.pending(CREATED, "echo");
    server
        .executions()
        .updates(
            CREATED, pending, Fixtures.running(pending), Fixtures.completed(pending, "all done"));

    CliResult result =
        Cli.run(
            "exec", "create", "-a", "echo", "-m", "hi", "--watch", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            String.join(
                "\n",
                "ID        AGENT  PHASE",
                CREATED + "  echo   PENDING",
                "2025-01-31T09:30:00Z  #1  PENDING",
                "2025-01-31T09:30:02Z  #2  IN_PROGRESS",
                "2025-01-31T09:31:32Z  #3  COMPLETED",
                "all done",
                ""));
  }

  @Test
  void watchExitsWith4WhenTheNewExecutionFails() {
    AgentExecution pending = Fixtures.pending(CREATED, "echo");
    server
        .executions()
        .updates(CREATED, Fixtures.ended(pending, ExecutionPhase.FAILED, "AgentFailed", "exit 1"));

    CliResult result =
        Cli.run(
            "exec",
            "create",
            "-a",
            "echo",
            "-m",
            "hi",
            "-w",
            "-o",
            "json",
            "--address",
            server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.EXECUTION_UNSUCCESSFUL);
    assertThat(result.out().lines()).hasSize(2).allMatch(line -> line.startsWith("{"));
  }
}
