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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  @Test
  void aStreamCutOffMidAnswerIsRetriedNotTakenAsTheAnswer() {
    provider.reply(
        OpenAiReplies.streamCutOff("The answer ", "is"),
        OpenAiReplies.streamAnswer(3, 4, "The answer ", "is 42."));

    AgentOutput output = runner.run(agent, invocation("q"), TestRunContext.withTimeout(LONG));

    assertThat(output.output()).isEqualTo("The answer is 42.");
    assertThat(provider.requests()).hasSize(2);
  }

  static Stream<Arguments> repliesWithoutAFinishReason() {
    String cut =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
            + "\"The answer is\"},\"finish_reason\":null}]}\n\n";
    return Stream.of(
        Arguments.of("cut off mid-answer", cut),
        Arguments.of("an empty body", ""),
        Arguments.of("an error object", "{\"error\":{\"message\":\"model overloaded\"}}"),
        Arguments.of("malformed JSON, not as events", "{\"choices\": [ this is not json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repliesWithoutAFinishReason")
  void aStreamThatEndsWithoutAFinishReasonFailsAfterTheRetries(String what, String body) {
    provider.reply(
        OpenAiReplies.streamBody(body),
        OpenAiReplies.streamBody(body),
        OpenAiReplies.streamBody(body));

    assertThatThrownBy(() -> runner.run(agent, invocation("q"), TestRunContext.withTimeout(LONG)))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  .contains("ended its streamed answer without a finish reason")
                  .contains("gave up after 3 attempts");
            });
    assertThat(provider.requests()).hasSize(3);
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
