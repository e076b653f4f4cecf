package dev.baton.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.cli.BatonCli;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.cli.docs.MarkdownDoc.Command;
import dev.baton.server.tls.ServerTls;
import dev.baton.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Every command in the shell blocks of the README, the developer guide and the runbook is run by a
 * test or CI, so none can drift: {@code baton} client commands run here against a real server
 * (placeholders such as {@code <id>} filled in), the others are listed with what runs them, and a
 * command that is neither fails this test.
 */
class DocumentedCommandsTest {
  private static final Pattern ID_PLACEHOLDER = Pattern.compile("<(id|execution-id)>");

  /** {@code baton} commands that run elsewhere (long-running, or needing a caller): the test. */
  private static final Map<String, String> BATON_COMMANDS_RUN_ELSEWHERE =
      Map.of(
          "server", "baton-cli/src/test/java/dev/baton/cli/server/ServerCommandTest.java",
          "demo", "baton-cli/src/test/java/dev/baton/cli/demo/DemoCommandTest.java",
          "bench", "baton-bench/src/test/java/dev/baton/bench/BenchSmokeTest.java",
          "dev-temporal", "baton-cli/src/test/java/dev/baton/cli/fault/ServerCrashFaultTest.java",
          "exec complete-caller",
              "baton-cli/src/test/java/dev/baton/cli/exec/ExecCompleteCallerCommandTest.java");

  /**
   * Other commands in the docs, by how their line starts, and the test or CI script that runs them
   * ({@code .ci/check-guide.sh} runs the developer guide's "Run it" block as written).
   */
  private static final Map<String, String> OTHER_COMMANDS =
      Map.of(
          "temporal ", "baton-cli/src/test/java/dev/baton/cli/docs/TemporalCommandsInDocsTest.java",
          "./mvnw verify", ".ci/run",
          "./mvnw -q -DskipTests package -pl examples -am", ".ci/check-guide.sh",
          "java -cp ", ".ci/check-guide.sh");

  /** Programs of the runbook's marked blocks, run by {@link RunbookBackupTest}. */
  private static final List<String> BACKUP_PROGRAMS =
      List.of("sqlite3", "cp", "rm", "pg_dump", "pg_restore");

  /** The files the docs' TLS commands name, and the test PKI's files that stand in for them. */
  private static final Map<String, Function<TestCertificates, Path>> TLS_FILES =
      Map.of(
          "/etc/baton/ca.pem", TestCertificates::caCert,
          "/etc/baton/client.pem", TestCertificates::clientCert,
          "/etc/baton/client.key", TestCertificates::clientKey);

  @TempDir static Path home;
  @TempDir static Path tlsHome;
  private static RealBatonServer server;
  private static RealBatonServer tlsServer;
  private static String completedId;

  @BeforeAll
  static void start() throws Exception {
    server = RealBatonServer.start(home, Map.of());
    TestCertificates pki = TestCertificates.get();
    tlsServer =
        RealBatonServer.start(
            tlsHome,
            Map.of(),
            config ->
                config.tls(
                    ServerTls.of(pki.serverCert(), pki.serverKey())
                        .requireClientCertificates(pki.caCert())));
    CliResult created =
        Cli.run(
            "exec",
            "create",
            "--agent",
            "shout",
            "--message",
            "docs",
            "-o",
            "json",
            "--address",
            server.address());
    completedId = new ObjectMapper().readTree(created.out()).at("/metadata/id").asText();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Cli.run("exec", "get", completedId, "--address", server.address()).out(),
            out -> out.contains("COMPLETED"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (tlsServer != null) {
      tlsServer.close();
    }
  }

  @Test
  void everyBatonClientCommandInTheDocsRunsAgainstARealServer() {
    List<Command> run = new ArrayList<>();
    for (Command command : batonCommands()) {
      String[] args = args(command);
      if (runElsewhere(args) != null) {
        continue;
      }
      // Commands with TLS options run against a server with mutual TLS, on the test PKI's files.
      boolean tls = Stream.of(args).anyMatch(arg -> arg.startsWith("--tls"));
      if (tls) {
        args = Stream.of(args).map(DocumentedCommandsTest::testPkiFile).toArray(String[]::new);
      }
      String address = tls ? tlsServer.address() : server.address();
      String[] withAddress =
          acceptsAddress(args)
              ? Stream.concat(Stream.of(args), Stream.of("--address", address))
                  .toArray(String[]::new)
              : args;

      CliResult result = Cli.run(withAddress);

      assertThat(result.exitCode())
          .as("%s%nstdout:%n%s%nstderr:%n%s", command, result.out(), result.err())
          .isEqualTo(ExitCodes.OK);
      run.add(command);
    }
    assertThat(run).extracting(Command::line).anyMatch(line -> line.contains("exec watch"));
    assertThat(run).extracting(Command::line).anyMatch(line -> line.contains("api-key create"));
    assertThat(run).extracting(Command::line).anyMatch(line -> line.contains("exec describe"));
    assertThat(run).extracting(Command::line).anyMatch(line -> line.contains("--tls-cert"));
  }

  private static String testPkiFile(String arg) {
    Function<TestCertificates, Path> file = TLS_FILES.get(arg);
    return file == null ? arg : file.apply(TestCertificates.get()).toString();
  }

  @Test
  void everyBatonCommandInTheDocsParsesAndTheOnesRunElsewhereHaveTheirTest() {
    for (Command command : batonCommands()) {
      String[] args = args(command);
      String test = runElsewhere(args);
      if (test != null) {
        assertThat(MarkdownDoc.ROOT.resolve(test)).as("the test that runs %s", command).exists();
      }
      if (!args[0].equals("bench")) { // `./baton bench` is the launcher's, not the CLI's
        BatonCli.commandLine(new BatonCli(), args).parseArgs(args);
      }
    }
  }

  @Test
  void everyOtherCommandInTheDocsIsRunByATestOrCi() throws Exception {
    List<String> backupBlocks =
        List.of("sqlite-backup", "sqlite-restore", "postgres-backup", "postgres-restore").stream()
            .map(MarkdownDoc.RUNBOOK::markedBlock)
            .toList();
    for (Command command : allCommands()) {
      String program = command.program();
      if (isBaton(command)) {
        continue;
      }
      if (BACKUP_PROGRAMS.contains(program)) {
        assertThat(backupBlocks)
            .as("%s: a runbook-test block that RunbookBackupTest runs", command)
            .anyMatch(block -> block.contains(command.line()));
        continue;
      }
      String runner =
          OTHER_COMMANDS.entrySet().stream()
              .filter(entry -> command.line().startsWith(entry.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      assertThat(runner).as("the test or CI script that runs %s", command).isNotNull();
      assertThat(MarkdownDoc.ROOT.resolve(runner))
          .as("%s, which runs %s", runner, command)
          .exists();
      String ciRun = Files.readString(MarkdownDoc.ROOT.resolve(".ci/run"));
      if (runner.equals(".ci/run")) {
        assertThat(ciRun).as(".ci/run runs %s", command).contains(command.line());
      } else if (runner.startsWith(".ci/")) {
        assertThat(ciRun).as(".ci/run calls %s", runner).contains(runner);
      }
    }
  }

  private static List<Command> allCommands() {
    return Stream.of(MarkdownDoc.README, MarkdownDoc.DEVELOPER_GUIDE, MarkdownDoc.RUNBOOK)
        .flatMap(doc -> doc.commands().stream())
        .toList();
  }

  private static List<Command> batonCommands() {
    List<Command> commands =
        allCommands().stream().filter(DocumentedCommandsTest::isBaton).toList();
    assertThat(commands).hasSizeGreaterThan(10);
    return commands;
  }

  private static boolean isBaton(Command command) {
    return command.program().equals("baton") || command.program().equals("./baton");
  }

  /** The command's arguments after {@code baton}, placeholders filled in. */
  private static String[] args(Command command) {
    return command.words().stream()
        .skip(1)
        .map(
            word ->
                ID_PLACEHOLDER.matcher(word).replaceAll(completedId == null ? "ID" : completedId))
        .toArray(String[]::new);
  }

  private static String runElsewhere(String[] args) {
    String first = args[0];
    String two = args.length > 1 ? first + " " + args[1] : first;
    return BATON_COMMANDS_RUN_ELSEWHERE.getOrDefault(two, BATON_COMMANDS_RUN_ELSEWHERE.get(first));
  }

  private static boolean acceptsAddress(String[] args) {
    ParseResult parsed = BatonCli.commandLine(new BatonCli(), args).parseArgs(args);
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    CommandSpec leaf = parsed.commandSpec();
    return leaf.findOption("--address") != null;
  }
}
