package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BatonCliTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "agent",
        "agent list",
        "exec",
        "exec create",
        "exec get",
        "exec list",
        "exec cancel",
        "exec watch"
      })
  void printsHelpWithExitCodesForEveryCommand(String command) {
    List<String> args =
        new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");

    CliResult result = Cli.run(args.toArray(String[]::new));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .startsWith(("Usage: baton " + command).trim())
        .contains(
            "Exit codes:",
            "3   Not found",
            "4   The execution ended FAILED or CANCELLED",
            "7   The server refused the request in the execution's current state",
            "8   Not authenticated or not allowed");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void clientCommandsDocumentTheirCommonOptions() {
    CliResult result = Cli.run("exec", "get", "--help");

    assertThat(result.out())
        .contains("--address=HOST:PORT", "BATON_ADDRESS", "127.0.0.1:7234")
        .contains("-o, --output=FORMAT", "--rpc-timeout=DURATION", "--verbose");
  }

  @Test
  void helpAndUnknownCommandsListEveryCommand() {
    String[] commands = {"server", "dev-temporal", "agent", "exec", "status", "api-key", "demo"};

    assertThat(Cli.run("--help").out()).contains(commands);
    CliResult typo = Cli.run("exce", "list");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("Unmatched arguments", "'exce'", "Did you mean: baton exec?");
  }

  @Test
  void buildsOnlyTheCommandThatRuns() {
    CommandLine line = BatonCli.commandLine(new BatonCli(), "exec", "get", "x");

    assertThat(line.getSubcommands()).containsOnlyKeys("exec");
    assertThat(line.getSubcommands().get("exec").getSubcommands()).containsOnlyKeys("get");
  }

  @Test
  void groupHelpAndTyposListEverySubcommandOfTheGroup() {
    String[] exec = {"create", "get", "list", "cancel", "watch", "describe", "complete-caller"};

    assertThat(Cli.run("exec", "--help").out()).contains(exec);
    assertThat(Cli.run("--help").out()).contains("exec");
    CliResult typo = Cli.run("exec", "lsit");
    assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("Unmatched argument", "'lsit'").contains(exec);
  }

  @Test
  void subcommandsInheritTheRootsHelpAndVersionOptions() {
    assertThat(Cli.run("exec", "list", "--version").out()).startsWith("baton ");
    assertThat(Cli.run("exec", "list", "-h").out()).contains("Usage: baton exec list");
  }

  @Test
  void printsVersion() {
    CliResult result = Cli.run("--version");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).startsWith("baton ");
  }

  @Test
  void missingSubcommandIsAUsageError() {
    CliResult result = Cli.run("exec");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Missing required subcommand", "Usage: baton exec");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliResult result = Cli.run("agent", "list", "--colour");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Unknown option: '--colour'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "exec complete-caller 01JD3Z8Q4W5X6Y7Z8A9B0C1D2E --result x --fail y"
            + " | are mutually exclusive | baton exec complete-caller",
        "api-key create ops | Missing required option: '--scope=SCOPE' | baton api-key create",
        "api-key create bad/name --scope write | API key name 'bad/name' must be"
            + " | baton api-key create",
        "exec create --agent echo --message-file /nonexistent/message"
            + " | cannot read --message-file /nonexistent/message | baton exec create",
      })
  void otherUsageErrorsAreTwoLinesNotTheWholeHelp(String args, String error, String command) {
    CliResult result = Cli.run(args.split(" "));

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains(error)
        .endsWith("Run '" + command + " --help' for its options and their values.\n")
        .doesNotContain("Usage:");
    assertThat(result.err().lines()).hasSize(2);
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    CliResult result = Cli.run("agent", "list", "-o", "yaml");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("expected table or json but was 'yaml'");
  }
}
