package dev.baton.agent.command;

import static dev.baton.agent.command.Agents.agent;
import static dev.baton.agent.command.Agents.invocation;
import static dev.baton.agent.command.Agents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final CommandRunner runner = new CommandRunner();
  @TempDir Path dir;

  @AfterEach
  void noThreadOutlivesARun() {
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("baton-agent-") && t.isAlive());
  }

  @Test
  void returnsStdoutWithTrailingWhitespaceTrimmed() throws IOException {
    script(dir, "hello.sh", "printf '  hello\\n\\nworld\\n\\n'\n");

    AgentOutput output = run(agent(dir, "./hello.sh"), "ignored");

    assertThat(output).isEqualTo(AgentOutput.text("  hello\n\nworld"));
  }

  @Test
  void passesTheMessageOnStdinAndAsBatonMessage() throws IOException {
    script(
        dir,
        "echo.sh",
        "cat > \"$1/stdin.txt\"\nprintf '%s' \"$BATON_MESSAGE\" > \"$1/env.txt\"\n"
            + "echo \"$BATON_EXECUTION_ID $BATON_AGENT\"\n");
    String message = "Grüße, 世界! 🎻\nsecond line; $(rm -rf /) `id` 'quoted'";

    AgentOutput output = run(agent(dir, "./echo.sh", dir.toString()), message);

    assertThat(output.output()).isEqualTo("exec-1 test-agent");
    assertThat(Files.readString(dir.resolve("stdin.txt"), StandardCharsets.UTF_8))
        .isEqualTo(message);
    assertThat(Files.readString(dir.resolve("env.txt"), StandardCharsets.UTF_8)).isEqualTo(message);
  }

  @Test
  void passesAOneMebibyteMessageOnStdinOnly() throws IOException {
    script(dir, "size.sh", "wc -c | tr -d ' '\necho \"env:${BATON_MESSAGE:-unset}\"\n");
    String message = "x".repeat(1024 * 1024 - 2) + "é";

    AgentOutput output = run(agent(dir, "./size.sh"), message);

    assertThat(output.output()).isEqualTo((1024 * 1024) + "\nenv:unset");
  }

  @Test
  void aProgramThatIgnoresStdinStillCompletes() throws IOException {
    script(dir, "deaf.sh", "echo done\n");

    AgentOutput output = run(agent(dir, "./deaf.sh"), "y".repeat(4 * 1024 * 1024));

    assertThat(output.output()).isEqualTo("done");
  }

  @Test
  void runsProgramsFromPathWithoutAShell() {
    AgentOutput output = run(agent(dir, "tr", "a-z", "A-Z"), "shout $HOME `id`");

    assertThat(output.output()).isEqualTo("SHOUT $HOME `ID`");
  }

  @Test
  void addsTheConfiguredEnvironmentAndWorkingDirectory() throws IOException {
    script(dir, "where.sh", "echo \"$GREETING from $(pwd)\"\n");
    Files.createDirectories(dir.resolve("work"));
    AgentDefinition agent = agent(dir, "./where.sh");
    agent.settings().put("workingDirectory", "work");
    agent.settings().putObject("env").put("GREETING", "hi");

    AgentOutput output = run(agent, "");

    assertThat(output.output()).isEqualTo("hi from " + dir.resolve("work").toRealPath());
  }

  @Test
  void passesOnlyAMinimalEnvironmentNotTheServers() throws IOException {
    script(dir, "env.sh", "env\n");
    AgentDefinition agent = agent(dir, "./env.sh");
    agent.settings().putObject("env").put("GREETING", "hi");
    Set<String> serverOnly = new HashSet<>(System.getenv().keySet());
    serverOnly.removeAll(CommandRun.INHERITED);
    serverOnly.removeAll(Set.of("PWD", "OLDPWD", "SHLVL", "_"));
    assertThat(serverOnly).as("the test needs a variable of the server's own").isNotEmpty();

    AgentOutput output = run(agent, "hi");

    Set<String> names = new HashSet<>();
    for (String line : output.output().split("\n")) {
      names.add(line.substring(0, Math.max(0, line.indexOf('='))));
    }
    assertThat(names).contains("PATH", "GREETING", "BATON_AGENT", "BATON_EXECUTION_ID");
    assertThat(names).doesNotContainAnyElementsOf(serverOnly);
  }

  @Test
  void runsInAFreshWorkingDirectoryThatIsRemovedAfterwards() throws IOException {
    script(dir, "pwd.sh", "pwd\nls -A | wc -l | tr -d ' '\necho data > scratch.txt\n");

    String[] first = run(agent(dir, "./pwd.sh"), "").output().split("\n");
    String[] second = run(agent(dir, "./pwd.sh"), "").output().split("\n");

    assertThat(first[0]).isNotEqualTo(second[0]).isNotEqualTo(dir.toRealPath().toString());
    assertThat(first[1]).isEqualTo("0");
    assertThat(second[1]).isEqualTo("0");
    assertThat(Path.of(first[0])).doesNotExist();
    assertThat(Path.of(second[0])).doesNotExist();
  }

  @Test
  void keepsTheFreshWorkingDirectoryWhenConfigured() throws IOException {
    script(dir, "pwd.sh", "pwd\necho data > scratch.txt\n");
    AgentDefinition agent = agent(dir, "./pwd.sh");
    agent.settings().put("keepWorkingDirectory", true);

    Path kept = Path.of(run(agent, "").output());

    try {
      assertThat(kept.resolve("scratch.txt")).hasContent("data");
    } finally {
      Files.delete(kept.resolve("scratch.txt"));
      Files.delete(kept);
    }
  }

  @Test
  void nonZeroExitFailsWithTheStderrTail() throws IOException {
    script(
        dir,
        "fail.sh",
        "i=0\nwhile [ $i -lt 2000 ]; do echo \"noise line $i\" >&2; i=$((i+1)); done\n"
            + "echo 'model quota exceeded' >&2\nexit 3\n");

    assertThatThrownBy(() -> run(agent(dir, "./fail.sh"), "hi"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  // Cut at a line's start, saying so: not in the middle of a line.
                  .startsWith("agent 'test-agent' exited with code 3: ...\nnoise line ")
                  .endsWith("noise line 1999\nmodel quota exceeded")
                  .doesNotContain("noise line 1000\n");
              assertThat(e.getMessage().length()).isLessThan(4200);
            });
  }

  @Test
  void nonZeroExitWithoutStderrSaysSo() {
    assertThatThrownBy(() -> run(agent(dir, "false"), "hi"))
        .isInstanceOf(AgentFailedException.class)
        .hasMessage("agent 'test-agent' exited with code 1 and wrote nothing to stderr");
  }

  @Test
  void aMissingProgramIsNotRunnable() {
    assertThatThrownBy(() -> run(agent(dir, "./bin/missing.sh"), "hi"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "agent 'test-agent': program './bin/missing.sh' does not exist ("
                          + dir.resolve("bin/missing.sh")
                          + ")");
            });
  }

  @Test
  void aProgramNotOnPathIsNotRunnable() {
    assertThatThrownBy(() -> run(agent(dir, "no-such-agent-cli"), "hi"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage())
                  .startsWith(
                      "agent 'test-agent': program 'no-such-agent-cli' was not found on PATH");
            });
  }

  @Test
  void aNonExecutableProgramIsNotRunnable() throws IOException {
    Files.writeString(dir.resolve("plain.sh"), "echo hi\n");

    assertThatThrownBy(() -> run(agent(dir, "./plain.sh"), "hi"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage()).contains("is not executable").contains("chmod +x");
            });
  }

  @Test
  void aScriptWithAMissingInterpreterIsNotRunnable() throws IOException {
    Path file = dir.resolve("broken.sh");
    Files.writeString(file, "#!/no/such/interpreter\necho hi\n");
    file.toFile().setExecutable(true);

    assertThatThrownBy(() -> run(agent(dir, "./broken.sh"), "hi"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE));
  }

  @Test
  void heartbeatsWithTheLastStderrLine() throws IOException {
    script(dir, "slow.sh", "echo 'step 1 of 2' >&2\nsleep 1\necho ok\n");
    TestRunContext context = TestRunContext.withTimeout(TIMEOUT);

    runner.run(agent(dir, "./slow.sh"), invocation("hi", TIMEOUT), context);

    assertThat(context.heartbeats()).isNotEmpty().contains("step 1 of 2");
  }

  @Test
  void reportsEachNonBlankStderrLineAsALogEventInOrder() throws IOException {
    script(
        dir,
        "log.sh",
        "echo 'first' >&2\necho '' >&2\nprintf 'second\\r\\nthird' >&2\necho "
            + "\"$(printf 'x%.0s' $(seq 1 5000))\" >&2\necho ok\n");
    TestRunContext context = TestRunContext.withTimeout(TIMEOUT);

    runner.run(agent(dir, "./log.sh"), invocation("hi", TIMEOUT), context);

    assertThat(context.events())
        .allMatch(event -> event.type() == ExecutionEvent.Type.LOG_LINE)
        .extracting(ExecutionEvent::text)
        .containsExactly("first", "second", "third" + "x".repeat(4091) + "…");
  }

  private AgentOutput run(AgentDefinition agent, String message) {
    return runner.run(agent, invocation(message, TIMEOUT), TestRunContext.withTimeout(TIMEOUT));
  }
}
