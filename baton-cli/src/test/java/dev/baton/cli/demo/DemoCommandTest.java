package dev.baton.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code baton demo}, the README's first command, run in-process on its own embedded stack. */
class DemoCommandTest {

  private static final Pattern EXECUTION_ID = Pattern.compile("\\(execution ([0-9A-Z]{26})\\)");

  @Test
  void printsBothAgentsResultsWithTheirExecutionIdsAndTheOverhead() {
    CliResult result =
        Cli.run("demo", "--command-agents", "--agents", RealBatonServer.REPO_AGENTS.toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("Embedded stack up in")
        .contains("== summarize (execution ")
        .contains("== shout (execution ")
        .contains(
            "BATON LETS A TEMPORAL WORKFLOW WAIT FOR AN AI AGENT WITHOUT HOLDING A WORKER SLOT.")
        .contains(
            "Baton lets a Temporal workflow wait for an AI agent without holding a worker slot.")
        .contains("handshake overhead");
    List<String> ids = EXECUTION_ID.matcher(result.out()).results().map(id -> id.group(1)).toList();
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void sendsTheGivenMessageToBothAgents() {
    CliResult result =
        Cli.run(
            "demo",
            "--command-agents",
            "--agents",
            RealBatonServer.REPO_AGENTS.toString(),
            "--message",
            "Short and sweet. Second sentence.");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("SHORT AND SWEET. SECOND SENTENCE.")
        .contains("Short and sweet.\n(5 words)");
  }
}
