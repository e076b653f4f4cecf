package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static dev.baton.agent.llm.LlmAgents.withTool;
import static dev.baton.agent.llm.OpenAiReplies.answer;
import static dev.baton.agent.llm.OpenAiReplies.streamAnswer;
import static dev.baton.agent.llm.OpenAiReplies.streamToolCall;
import static dev.baton.agent.llm.OpenAiReplies.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm runner against a server speaking OpenAI's chat-completions protocol. */
class LlmRunnerOpenAiTest {
  private FakeProvider provider;
  private final LlmRunner runner = LlmAgents.runner();

  @BeforeEach
  void startProvider() throws IOException {
    provider = FakeProvider.start();
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void returnsThePlainAnswerWithUsage() throws IOException {
    provider.reply(answer("Paris is the capital of France.", 12, 7));
    AgentDefinition agent = openAi(false);
    agent.settings().put("instructions", "Answer briefly.");
    agent.settings().put("temperature", 0.2);
    agent.settings().put("maxTokens", 100);

    AgentOutput output = run(agent, "Capital of France?");

    assertThat(output.output()).isEqualTo("Paris is the capital of France.");
    assertThat(FakeProvider.JSON.readTree(output.structuredOutput()))
        .isEqualTo(
            FakeProvider.JSON.readTree(
                "{\"provider\":\"openai\",\"model\":\"test-model\",\"steps\":1,\"toolCalls\":0,"
                    + "\"usage\":{\"inputTokens\":12,\"outputTokens\":7,\"totalTokens\":19}}"));
    JsonNode request = provider.requests().get(0).body();
    assertThat(provider.requests().get(0).path()).isEqualTo("/v1/chat/completions");
    assertThat(request.get("model").asText()).isEqualTo("test-model");
    assertThat(request.get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(request.get("max_tokens").asInt()).isEqualTo(100);
    assertThat(request.get("messages").get(0).get("role").asText()).isEqualTo("system");
    assertThat(request.get("messages").get(0).get("content").asText()).isEqualTo("Answer briefly.");
    assertThat(request.get("messages").get(1).get("content").asText())
        .isEqualTo("Capital of France?");
  }

  @Test
  void streamsTheAnswer() {
    provider.reply(streamAnswer(5, 3, "Hel", "lo", ", world"));

    AgentOutput output = run(openAi(true), "hi");

    assertThat(output.output()).isEqualTo("Hello, world");
    assertThat(output.structuredOutput()).contains("\"totalTokens\":8");
    assertThat(provider.requests().get(0).body().get("stream").asBoolean()).isTrue();
  }

  @Test
  void sendsTheKeyFromTheNamedVariableAsBearerToken() {
    provider.reply(answer("ok", 1, 1));
    AgentDefinition agent = openAi(false);
    agent.settings().put("apiKeyEnv", LlmAgents.KEY_VARIABLE);

    run(agent, "hi");

    assertThat(provider.requests().get(0).authorization()).isEqualTo("Bearer " + LlmAgents.KEY);
  }

  @Test
  void runsAToolAndSendsItsOutputBack() {
    provider.reply(
        toolCall("call_1", "weather", "{\"city\":\"Paris\"}", 20, 5),
        answer("It is sunny in Paris.", 40, 6));
    AgentDefinition agent =
        withTool(
            openAi(false),
            "weather",
            "sh",
            "-c",
            "read -r stdin; printf '%s|%s|sunny' \"$stdin\" \"$BATON_TOOL_ARGS\"");

    AgentOutput output = run(agent, "Weather in Paris?");

    assertThat(output.output()).isEqualTo("It is sunny in Paris.");
    assertThat(output.structuredOutput())
        .contains("\"steps\":2", "\"toolCalls\":1")
        .contains("\"inputTokens\":60,\"outputTokens\":11,\"totalTokens\":71");
    JsonNode first = provider.requests().get(0).body();
    JsonNode function = first.get("tools").get(0).get("function");
    assertThat(function.get("name").asText()).isEqualTo("weather");
    assertThat(function.get("parameters").get("properties").get("city").get("type").asText())
        .isEqualTo("string");
    JsonNode messages = provider.requests().get(1).body().get("messages");
    JsonNode result = messages.get(messages.size() - 1);
    assertThat(result.get("role").asText()).isEqualTo("tool");
    assertThat(result.get("tool_call_id").asText()).isEqualTo("call_1");
    assertThat(result.get("content").asText())
        .isEqualTo("{\"city\":\"Paris\"}|{\"city\":\"Paris\"}|sunny");
  }

  @Test
  void runsAStreamedToolCall() {
    provider.reply(
        streamToolCall("call_7", "weather", 10, 4, "{\"ci", "ty\":\"Os", "lo\"}"),
        streamAnswer(30, 5, "Snow ", "in Oslo."));
    AgentDefinition agent = withTool(openAi(true), "weather", "cat");

    AgentOutput output = run(agent, "Weather in Oslo?");

    assertThat(output.output()).isEqualTo("Snow in Oslo.");
    JsonNode messages = provider.requests().get(1).body().get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").asText())
        .isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(output.structuredOutput()).contains("\"totalTokens\":49");
  }

  @Test
  void aFailingToolIsAnErrorResultForTheModelNotACrash() {
    provider.reply(
        toolCall("call_1", "weather", "{\"city\":\"Atlantis\"}", 1, 1),
        answer("I could not find Atlantis.", 1, 1));
    AgentDefinition agent =
        withTool(openAi(false), "weather", "sh", "-c", "echo 'no such city' >&2; exit 3");

    AgentOutput output = run(agent, "Weather in Atlantis?");

    assertThat(output.output()).isEqualTo("I could not find Atlantis.");
    JsonNode messages = provider.requests().get(1).body().get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").asText())
        .isEqualTo("ERROR: tool 'weather' exited with code 3: no such city");
  }

  @Test
  void anUnknownToolIsAnErrorResultNamingTheTools() {
    provider.reply(toolCall("call_1", "search", "{}", 1, 1), answer("Sorry.", 1, 1));

    run(withTool(openAi(false), "weather", "cat"), "Search!");

    JsonNode messages = provider.requests().get(1).body().get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").asText())
        .isEqualTo("ERROR: there is no tool named 'search'; the tools are: weather");
  }

  @Test
  void theToolLoopStopsAtMaxSteps() {
    provider.reply(
        toolCall("call_1", "weather", "{\"city\":\"A\"}", 1, 1),
        toolCall("call_2", "weather", "{\"city\":\"B\"}", 1, 1),
        answer("never asked for", 1, 1));
    AgentDefinition agent = withTool(openAi(false), "weather", "cat");
    agent.settings().put("maxSteps", 2);

    assertThatThrownBy(() -> run(agent, "loop"))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  .startsWith(
                      "agent 'test-llm' stopped after 2 steps without a final answer (the model"
                          + " kept calling tools)");
            });
    assertThat(provider.requests()).hasSize(2);
  }

  @Test
  void reportsStreamedChunksAndToolCallsAsEvents() {
    provider.reply(
        streamToolCall("call_1", "weather", 20, 5, "{\"city\":", "\"Paris\"}"),
        streamAnswer(30, 5, "Sun", "ny."));
    AgentDefinition agent = withTool(openAi(true), "weather", "cat");
    TestRunContext context = TestRunContext.withTimeout(LlmAgents.TIMEOUT);

    runner.run(agent, invocation("Weather in Paris?"), context);

    assertThat(context.events())
        .extracting(ExecutionEvent::type, ExecutionEvent::text, ExecutionEvent::data)
        .containsExactly(
            tuple(ExecutionEvent.Type.TOOL_CALL_STARTED, "weather", "{\"city\":\"Paris\"}"),
            tuple(ExecutionEvent.Type.TOOL_CALL_ENDED, "weather ok", null),
            tuple(ExecutionEvent.Type.MESSAGE_CHUNK, "Sun", null),
            tuple(ExecutionEvent.Type.MESSAGE_CHUNK, "ny.", null));
  }

  @Test
  void heartbeatsNameTheStep() {
    provider.reply(answer("ok", 1, 1));
    TestRunContext context = TestRunContext.withTimeout(LlmAgents.TIMEOUT);

    runner.run(openAi(false), invocation("hi"), context);

    assertThat(context.heartbeats()).contains("step 1/8: asking test-model");
  }

  private AgentDefinition openAi(boolean stream) {
    AgentDefinition agent = agent("openai", provider.url("/v1"));
    agent.settings().put("stream", stream);
    return agent;
  }

  private AgentOutput run(AgentDefinition agent, String message) {
    return runner.run(agent, invocation(message), TestRunContext.withTimeout(LlmAgents.TIMEOUT));
  }
}
