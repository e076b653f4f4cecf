package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long waits (streams, tools) keep the run alive with progress, and stop at once when cancelled.
 */
class LlmRunnerStreamingTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  private final LlmRunner runner = LlmAgents.runner();
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    provider = FakeProvider.start();
    agent = agent("openai", provider.url("/v1"));
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void cancellationStopsAStreamingAnswerAtOnce() {
    provider.reply(OpenAiReplies.endlessStream(Duration.ofMillis(20)));
    AtomicLong cancelledAt = new AtomicLong();
    TestRunContext context =
        TestRunContext.withTimeout(LONG)
            .cancelWhen(
                () -> {
                  boolean streaming = provider.chunksSent() >= 5;
                  if (streaming) {
                    cancelledAt.compareAndSet(0, System.nanoTime());
                  }
                  return streaming;
                });

    assertThatThrownBy(() -> runner.run(agent, invocation("talk forever"), context))
        .isInstanceOf(AgentCancelledException.class)
        .hasMessage("cancelled by the test");

    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt.get()))
        .isLessThan(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(provider::clientGone);
    assertThat(context.heartbeats())
        .anyMatch(p -> p.matches("step 1/8: \\d+ chunks: (more )*more"));
  }

  @Test
  void cancellationKillsARunningTool(@TempDir Path dir) {
    Path pidFile = dir.resolve("pid");
    provider.reply(OpenAiReplies.toolCall("call_1", "weather", "{\"city\":\"Rome\"}", 1, 1));
    agent.settings().put("stream", false);
    LlmAgents.withTool(
        agent, "weather", "sh", "-c", "echo $$ > \"$0\"; exec sleep 600", pidFile.toString());
    TestRunContext context = TestRunContext.withTimeout(LONG).cancelWhen(() -> pid(pidFile) > 0);

    assertThatThrownBy(() -> runner.run(agent, invocation("hi"), context))
        .isInstanceOf(AgentCancelledException.class);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(pid(pidFile)).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aToolPastItsTimeoutIsStoppedAndReportedToTheModel() {
    provider.reply(
        OpenAiReplies.toolCall("call_1", "weather", "{\"city\":\"Rome\"}", 1, 1),
        OpenAiReplies.answer("The weather service is slow.", 1, 1));
    agent.settings().put("stream", false);
    LlmAgents.withTool(agent, "weather", "sleep", "600");
    ((ObjectNode) agent.settings().get("tools").get(0)).put("timeout", "300ms");

    AgentOutput output = runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LONG));

    assertThat(output.output()).isEqualTo("The weather service is slow.");
    JsonNode messages = provider.requests().get(1).body().get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").asText())
        .isEqualTo("ERROR: tool 'weather' did not finish within 300ms and was stopped");
  }

  @Test
  void aStalledStreamTimesOut() {
    provider.reply(OpenAiReplies.endlessStream(Duration.ofSeconds(30)));
    agent.settings().put("requestTimeout", "500ms");

    assertThatThrownBy(() -> runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LONG)))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage()).contains("did not answer within 500ms");
            });
  }

  /** The pid the tool wrote, or 0 while it has not. */
  private static long pid(Path file) {
    try {
      String text = Files.readString(file).strip();
      return text.isEmpty() ? 0 : Long.parseLong(text);
    } catch (IOException e) {
      return 0;
    }
  }
}
