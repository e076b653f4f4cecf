package dev.baton.agent.command;

import static dev.baton.agent.command.Agents.agent;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.AgentDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerValidateTest {
  private final CommandRunner runner = new CommandRunner();
  @TempDir Path dir;

  @Test
  void acceptsAScriptBesideTheAgentFileAndAProgramOnPath() throws IOException {
    Agents.script(dir, "run.sh", "echo hi\n");

    assertThatCode(() -> runner.validate(agent(dir, "./run.sh", "--fast")))
        .doesNotThrowAnyException();
    assertThatCode(() -> runner.validate(agent(dir, "some-cli-installed-later")))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAMissingScript() {
    assertThatThrownBy(() -> runner.validate(agent(dir, "./bin/typo.sh")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "settings.command: program './bin/typo.sh' does not exist ("
                + dir.resolve("bin/typo.sh")
                + ")");
  }

  @Test
  void rejectsAMissingCommand() {
    AgentDefinition agent = agent(dir, "x");
    agent.settings().remove("command");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessageStartingWith("settings.command is missing; expected a list of the program");
  }

  @Test
  void rejectsACommandLineStringBecauseNoShellSplitsIt() {
    AgentDefinition agent = agent(dir, "x");
    agent.settings().put("command", "python agent.py");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessageContaining("settings.command must be a non-empty list")
        .hasMessageContaining("never run through a shell")
        .hasMessageEndingWith("found 'python agent.py'");
  }

  @Test
  void rejectsAWorkingDirectoryThatDoesNotExistWhenAgentsLoad() throws Exception {
    AgentDefinition missing = agent(dir, "x");
    missing.settings().put("workingDirectory", "not-there");
    AgentDefinition present = agent(dir, "x");
    Files.createDirectories(dir.resolve("work"));
    present.settings().put("workingDirectory", "work");

    assertThatThrownBy(() -> runner.validate(missing))
        .hasMessage(
            "settings.workingDirectory: "
                + dir.resolve("not-there")
                + " does not exist or is not a directory");
    runner.validate(present);
  }

  @Test
  void rejectsUnknownSettings() {
    AgentDefinition agent = agent(dir, "x");
    agent.settings().put("workdir", "/tmp");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessage(
            "unknown setting 'settings.workdir'; the command runner expects command,"
                + " workingDirectory, env and keepWorkingDirectory");
  }

  @Test
  void rejectsReservedAndMalformedEnvironment() {
    AgentDefinition reserved = agent(dir, "x");
    reserved.settings().putObject("env").put("BATON_MESSAGE", "x");
    AgentDefinition nested = agent(dir, "x");
    nested.settings().putObject("env").putObject("A");

    assertThatThrownBy(() -> runner.validate(reserved))
        .hasMessage("settings.env.BATON_MESSAGE is reserved: Baton sets BATON_* variables itself");
    assertThatThrownBy(() -> runner.validate(nested))
        .hasMessage("settings.env.A must be a string; found {}");
  }
}
