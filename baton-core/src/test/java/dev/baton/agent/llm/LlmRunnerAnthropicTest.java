package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.KEY;
import static dev.baton.agent.llm.LlmAgents.KEY_VARIABLE;
import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static dev.baton.agent.llm.LlmAgents.withTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm runner against a server speaking Anthropic's messages protocol. */
class LlmRunnerAnthropicTest {
  private final LlmRunner runner = LlmAgents.runner();
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    provider = FakeProvider.start();
    agent = agent("anthropic", provider.url("/v1"));
    agent.settings().put("apiKeyEnv", KEY_VARIABLE);
    agent.settings().put("stream", false);
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void returnsTheAnswerAndSendsTheKeyAndSystemPrompt() {
    provider.reply(AnthropicReplies.answer("Bonjour !", 9, 4));
    agent.settings().put("instructions", "Answer in French.");

    AgentOutput output = run();

    assertThat(output.output()).isEqualTo("Bonjour !");
    assertThat(output.structuredOutput())
        .contains("\"provider\":\"anthropic\"")
        .contains("\"inputTokens\":9,\"outputTokens\":4,\"totalTokens\":13");
    FakeProvider.Request request = provider.requests().get(0);
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.apiKeyHeader()).isEqualTo(KEY);
    assertThat(request.body().get("max_tokens").asInt()).isEqualTo(4096);
    assertThat(request.body().get("system").toString()).contains("Answer in French.");
  }

  @Test
  void runsAToolUseBlockAndSendsTheToolResult() throws IOException {
    provider.reply(
        AnthropicReplies.toolUse("toolu_1", "weather", "{\"city\":\"Lyon\"}", 20, 8),
        AnthropicReplies.answer("Rain in Lyon.", 50, 5));
    withTool(agent, "weather", "sh", "-c", "echo \"rain for $BATON_TOOL_ARGS\"");

    AgentOutput output = run();

    assertThat(output.output()).isEqualTo("Rain in Lyon.");
    assertThat(output.structuredOutput()).contains("\"steps\":2", "\"totalTokens\":83");
    JsonNode tool = provider.requests().get(0).body().get("tools").get(0);
    assertThat(tool.get("name").asText()).isEqualTo("weather");
    assertThat(tool.get("input_schema").get("properties").get("city").get("type").asText())
        .isEqualTo("string");
    JsonNode messages = provider.requests().get(1).body().get("messages");
    JsonNode result = messages.get(messages.size() - 1).get("content").get(0);
    assertThat(result.get("type").asText()).isEqualTo("tool_result");
    assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_1");
    // LangChain4j hands the tool the input re-serialised (indented), so it is compared as JSON.
    String text = result.get("content").asText();
    assertThat(text).startsWith("rain for ");
    assertThat(FakeProvider.JSON.readTree(text.substring("rain for ".length())))
        .isEqualTo(FakeProvider.JSON.readTree("{\"city\":\"Lyon\"}"));
  }

  @Test
  void streamsTheAnswer() {
    provider.reply(AnthropicReplies.streamAnswer(7, 3, "Guten ", "Tag"));
    agent.settings().put("stream", true);

    AgentOutput output = run();

    assertThat(output.output()).isEqualTo("Guten Tag");
    assertThat(output.structuredOutput()).contains("\"inputTokens\":7,\"outputTokens\":3");
  }

  @Test
  void anOverloadedErrorNamesTheProviderAndItsText() {
    String overloaded =
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}";
    provider.reply(
        OpenAiReplies.status(529, overloaded),
        OpenAiReplies.status(529, overloaded),
        OpenAiReplies.status(529, overloaded));

    assertThatThrownBy(this::run)
        .isInstanceOf(AgentFailedException.class)
        .hasMessage(
            "agent 'test-llm': anthropic model 'test-model' at "
                + provider.url("/v1")
                + " answered HTTP 529: Overloaded (gave up after 3 attempts)");
  }

  private AgentOutput run() {
    return runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LlmAgents.TIMEOUT));
  }
}
