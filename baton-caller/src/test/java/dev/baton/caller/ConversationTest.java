package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.baton.callback.AgentResult;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-turn dialogue with one LLM agent: the second call continues the first, and the model
 * receives the first turn before the new message. The model is a local HTTP server speaking the
 * OpenAI chat-completions protocol.
 */
class ConversationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;
  static HttpServer model;
  static final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  static TestBaton baton;

  @BeforeAll
  static void start() throws IOException {
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    model.createContext(
        "/v1/chat/completions",
        exchange -> {
          JsonNode request = JSON.readTree(exchange.getRequestBody());
          requests.add(request);
          JsonNode messages = request.get("messages");
          String last = messages.get(messages.size() - 1).get("content").asText();
          String answer = last.contains("What is my name") ? remembered(messages) : "Hello Ada";
          byte[] body = completion(answer).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    model.start();
    String yaml =
        "name: chat\nrunner: llm\ntimeout: 30s\nsettings:\n  provider: openai\n  model: test-model\n"
            + "  stream: false\n  baseUrl: http://127.0.0.1:"
            + model.getAddress().getPort()
            + "/v1\n";
    baton =
        TestBaton.builder(home).agentYaml("chat", yaml).agent("shout", "tr a-z A-Z", "30s").start();
  }

  @AfterAll
  static void stop() {
    baton.close();
    model.stop(0);
  }

  @Test
  void secondTurnCarriesTheFirstTurnToTheModel() {
    AgentResult first =
        baton.caller("turn-1").call(List.of(AgentCall.of("chat", "My name is Ada.")), 0).get(0);

    AgentResult second =
        baton
            .caller("turn-2")
            .call(
                List.of(AgentCall.of("chat", "What is my name?").continuing(first.executionId())),
                0)
            .get(0);

    assertThat(first.output()).isEqualTo("Hello Ada");
    assertThat(second.output()).isEqualTo("Your name is Ada");
    JsonNode messages = requests.get(requests.size() - 1).get("messages");
    assertThat(messages)
        .extracting(m -> m.get("role").asText() + ": " + m.get("content").asText())
        .containsSubsequence(
            "user: My name is Ada.", "assistant: Hello Ada", "user: What is my name?");
  }

  @Test
  void continuingAnotherAgentsExecutionIsRejected() {
    AgentResult shouted =
        baton.caller("shout-turn").call(List.of(AgentCall.of("shout", "hi")), 0).get(0);

    Throwable thrown =
        catchThrowable(
            () ->
                baton
                    .caller("wrong-agent-turn")
                    .call(
                        List.of(AgentCall.of("chat", "next").continuing(shouted.executionId())),
                        0));

    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause();
    assertThat(failure.getType()).isEqualTo(AgentCallActivitiesImpl.REQUEST_REJECTED);
    assertThat(failure.getOriginalMessage())
        .contains("spec.previous_execution_id")
        .contains("a conversation continues with the same agent");
  }

  private static String remembered(JsonNode messages) {
    for (JsonNode message : messages) {
      if (message.get("content").asText().contains("My name is Ada")) {
        return "Your name is Ada";
      }
    }
    return "I do not know your name";
  }

  private static String completion(String answer) throws IOException {
    return JSON.writeValueAsString(
        JSON.createObjectNode()
            .put("id", "chatcmpl-1")
            .put("object", "chat.completion")
            .put("created", 1)
            .put("model", "test-model")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "choices",
                JSON.createArrayNode()
                    .add(
                        JSON.createObjectNode()
                            .put("index", 0)
                            .put("finish_reason", "stop")
                            .set(
                                "message",
                                JSON.createObjectNode()
                                    .put("role", "assistant")
                                    .put("content", answer))))
            .set(
                "usage",
                JSON.createObjectNode()
                    .put("prompt_tokens", 3)
                    .put("completion_tokens", 2)
                    .put("total_tokens", 5)));
  }
}
