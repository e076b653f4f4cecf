package dev.baton.agent.command;

import static dev.baton.agent.command.Agents.agent;
import static dev.baton.agent.command.Agents.invocation;
import static dev.baton.agent.command.Agents.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.Secrets;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerSecretsTest {
  private static final String SECRET = "s3cr3t-value-9f8e7d";

  @TempDir Path dir;

  @Test
  void resolvesSecretsIntoTheProcessEnvironmentOnlyWhenItRuns() throws Exception {
    script(
        dir, "digest.sh", "echo working >&2\nprintf '%s' \"$TOKEN\" | sha256sum | cut -d' ' -f1\n");
    AgentDefinition agent = agent(dir, "./digest.sh");
    agent.settings().putObject("env").put("TOKEN", "${secret:API_TOKEN}");
    Path file = dir.resolve("secrets");
    Files.writeString(file, "API_TOKEN=" + SECRET + "\n");
    CommandRunner runner =
        new CommandRunner(CommandRunnerOptions.defaults(), new Secrets(Map.of(), file));
    TestRunContext context = TestRunContext.withTimeout(Duration.ofSeconds(30));

    AgentOutput output = runner.run(agent, invocation("hi", Duration.ofSeconds(30)), context);

    assertThat(output.output()).isEqualTo(sha256(SECRET));
    assertThat(agent.settings().toString()).doesNotContain(SECRET).contains("${secret:API_TOKEN}");
    assertThat(context.events())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.toString()).doesNotContain(SECRET));
    assertThat(context.heartbeats()).noneMatch(h -> h.contains(SECRET));
  }

  @Test
  void aMissingSecretMakesTheAgentNotRunnable() throws IOException {
    script(dir, "noop.sh", "true\n");
    AgentDefinition agent = agent(dir, "./noop.sh");
    agent.settings().putObject("env").put("TOKEN", "${secret:MISSING_SECRET_XYZ}");
    CommandRunner runner =
        new CommandRunner(CommandRunnerOptions.defaults(), new Secrets(Map.of(), null));

    assertThatThrownBy(
            () ->
                runner.run(
                    agent,
                    invocation("hi", Duration.ofSeconds(30)),
                    TestRunContext.withTimeout(Duration.ofSeconds(30))))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage())
                  .startsWith("agent 'test-agent': settings.env: secret 'MISSING_SECRET_XYZ'");
            });
  }

  private static String sha256(String value) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }
}
