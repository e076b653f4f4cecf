package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.command.CommandRunner;
import dev.baton.agent.echo.EchoRunner;
import dev.baton.execution.ExecutionError;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The example agents in the repository's top-level {@code agents/} directory load and work. */
class ExampleAgentsTest {
  private static final Path EXAMPLES = Path.of("..", "agents");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final CommandRunner runner = new CommandRunner();
  private final YamlAgentCatalog catalog =
      YamlAgentCatalog.load(EXAMPLES, AgentRunners.of(runner, new EchoRunner()));

  @Test
  void loadsEveryExample() {
    assertThat(catalog.list())
        .extracting(AgentDefinition::name)
        .containsExactly("echo", "failing", "shout", "summarize");
  }

  @Test
  void summarizeAnswersWithTheFirstSentenceAndAWordCount() {
    AgentOutput output = run("summarize", "Baton runs agents durably. It uses Temporal.");

    assertThat(output.output()).isEqualTo("Baton runs agents durably.\n(7 words)");
  }

  @Test
  void echoAnswersWithTheMessageAfterItsDelay() {
    AgentDefinition echo = catalog.find("echo").orElseThrow();
    long start = System.nanoTime();

    AgentOutput output =
        new EchoRunner()
            .run(
                echo,
                new AgentInvocation("exec-1", "echo", "ping", TIMEOUT),
                TestRunContext.withTimeout(TIMEOUT));

    assertThat(output.output()).isEqualTo("ping");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shoutUppercasesTheMessage() {
    assertThat(run("shout", "hello, baton").output()).isEqualTo("HELLO, BATON");
  }

  @Test
  void failingExitsWithCodeThreeAndItsReason() {
    assertThatThrownBy(() -> run("failing", "anything"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "agent 'failing' exited with code 3: failing agent: refusing to work on"
                          + " 'anything' (this agent always fails)");
            });
  }

  private AgentOutput run(String name, String message) {
    AgentDefinition agent = catalog.find(name).orElseThrow();
    return runner.run(
        agent,
        new AgentInvocation("exec-example", name, message, TIMEOUT),
        TestRunContext.withTimeout(TIMEOUT));
  }
}
