package dev.baton.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.TestRunContext;
import dev.baton.agent.YamlAgentCatalog;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The example in {@code agents/llm/assistant.yaml.example} loads, and its tool works. */
class ExampleLlmAgentTest {
  private static final Path EXAMPLE = Path.of("..", "agents", "llm", "assistant.yaml.example");

  private final LlmRunner runner = LlmAgents.runner();

  @AfterEach
  void stop() {
    runner.close();
  }

  @Test
  void loadsAndCallsItsTool() throws IOException {
    AgentDefinition example =
        YamlAgentCatalog.load(EXAMPLE, AgentRunners.of(runner)).find("assistant").orElseThrow();
    assertThat(example.settings().get("provider").asText()).isEqualTo("openai");
    try (FakeProvider provider = FakeProvider.start()) {
      provider.reply(
          OpenAiReplies.streamToolCall("call_1", "current_time", 1, 1, "{}"),
          OpenAiReplies.streamAnswer(1, 1, "It is ", "late."));
      example.settings().put("baseUrl", provider.url("/v1"));

      AgentOutput output =
          runner.run(
              example,
              LlmAgents.invocation("What time is it?"),
              TestRunContext.withTimeout(LlmAgents.TIMEOUT));

      assertThat(output.output()).isEqualTo("It is late.");
      JsonNode messages = provider.requests().get(1).body().get("messages");
      assertThat(messages.get(messages.size() - 1).get("content").asText())
          .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }
  }
}
