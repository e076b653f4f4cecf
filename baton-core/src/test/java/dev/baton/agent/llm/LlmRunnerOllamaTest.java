package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.agent.llm.FakeProvider.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm runner against a server speaking Ollama's native chat API (JSON and NDJSON). */
class LlmRunnerOllamaTest {
  private final LlmRunner runner = LlmAgents.runner();
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    provider = FakeProvider.start();
    agent = agent("ollama", provider.url(""));
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void returnsTheAnswerWithUsage() {
    agent.settings().put("stream", false);
    provider.reply(OpenAiReplies.status(200, line("Hello from Ollama", true)));

    AgentOutput output = run();

    assertThat(output.output()).isEqualTo("Hello from Ollama");
    assertThat(output.structuredOutput()).contains("\"inputTokens\":5,\"outputTokens\":3");
    assertThat(provider.requests().get(0).path()).isEqualTo("/api/chat");
  }

  @Test
  void streamsNewlineDelimitedChunks() {
    provider.reply(ndjson(line("Hel", false), line("lo", false), line("", true)));

    assertThat(run().output()).isEqualTo("Hello");
    assertThat(provider.requests().get(0).body().get("stream").asBoolean()).isTrue();
  }

  private static String line(String content, boolean done) {
    var body =
        FakeProvider.JSON
            .createObjectNode()
            .put("model", "test-model")
            .put("created_at", "2025-01-01T00:00:00Z");
    body.putObject("message").put("role", "assistant").put("content", content);
    body.put("done", done);
    if (done) {
      body.put("done_reason", "stop").put("prompt_eval_count", 5).put("eval_count", 3);
    }
    return body.toString();
  }

  private static Reply ndjson(String... lines) {
    return (exchange, provider) -> {
      exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (String line : lines) {
          out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    };
  }

  private AgentOutput run() {
    return runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LlmAgents.TIMEOUT));
  }
}
