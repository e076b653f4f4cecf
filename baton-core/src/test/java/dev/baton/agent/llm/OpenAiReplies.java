package dev.baton.agent.llm;

import static dev.baton.agent.llm.FakeProvider.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.llm.FakeProvider.Reply;
import java.io.OutputStream;
import java.time.Duration;

/** Answers in OpenAI's chat-completions protocol, plain and streamed. */
final class OpenAiReplies {
  private OpenAiReplies() {}

  static Reply answer(String text, int inputTokens, int outputTokens) {
    ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", text);
    return completion(message, "stop", inputTokens, outputTokens);
  }

  static Reply toolCall(String id, String name, String arguments, int in, int out) {
    ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
    ObjectNode call = message.putArray("tool_calls").addObject().put("id", id);
    call.put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    return completion(message, "tool_calls", in, out);
  }

  static Reply status(int status, String body, String... headers) {
    return (exchange, provider) -> FakeProvider.send(exchange, status, body, headers);
  }

  static Reply malformed() {
    return status(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":");
  }

  static Reply hang() {
    return (exchange, provider) -> provider.hang();
  }

  /** Streams the text in these chunks, then usage and [DONE]. */
  static Reply streamAnswer(int in, int out, String... chunks) {
    return (exchange, provider) -> {
      try (OutputStream events = FakeProvider.startEvents(exchange)) {
        for (String chunk : chunks) {
          provider.event(events, null, chunk(JSON.createObjectNode().put("content", chunk), null));
        }
        provider.event(events, null, chunk(JSON.createObjectNode(), "stop"));
        provider.event(events, null, usageChunk(in, out));
        provider.event(events, null, "[DONE]");
      }
    };
  }

  /** Streams these chunks, then closes the connection: no finish reason, no [DONE]. */
  static Reply streamCutOff(String... chunks) {
    return (exchange, provider) -> {
      try (OutputStream events = FakeProvider.startEvents(exchange)) {
        for (String chunk : chunks) {
          provider.event(events, null, chunk(JSON.createObjectNode().put("content", chunk), null));
        }
      }
    };
  }

  /** Answers a streamed request with HTTP 200 and this body as an event stream's bytes. */
  static Reply streamBody(String body) {
    return (exchange, provider) -> {
      try (OutputStream events = FakeProvider.startEvents(exchange)) {
        events.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    };
  }

  /** Streams one tool call whose arguments arrive in these parts. */
  static Reply streamToolCall(String id, String name, int in, int out, String... argumentParts) {
    return (exchange, provider) -> {
      try (OutputStream events = FakeProvider.startEvents(exchange)) {
        ObjectNode first = JSON.createObjectNode().put("role", "assistant");
        ObjectNode call = first.putArray("tool_calls").addObject().put("index", 0).put("id", id);
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", "");
        provider.event(events, null, chunk(first, null));
        for (String part : argumentParts) {
          ObjectNode delta = JSON.createObjectNode();
          ArrayNode calls = delta.putArray("tool_calls");
          calls.addObject().put("index", 0).putObject("function").put("arguments", part);
          provider.event(events, null, chunk(delta, null));
        }
        provider.event(events, null, chunk(JSON.createObjectNode(), "tool_calls"));
        provider.event(events, null, usageChunk(in, out));
        provider.event(events, null, "[DONE]");
      }
    };
  }

  /** Streams a chunk of text every {@code every} until the client hangs up. */
  static Reply endlessStream(Duration every) {
    return (exchange, provider) -> {
      OutputStream events = FakeProvider.startEvents(exchange);
      provider.eventsUntilClientGone(
          events, chunk(JSON.createObjectNode().put("content", "more "), null), every);
    };
  }

  private static Reply completion(ObjectNode message, String finishReason, int in, int out) {
    ObjectNode body = header("chat.completion");
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    choice.set("message", message);
    choice.put("finish_reason", finishReason);
    body.set("usage", usage(in, out));
    return status(200, body.toString());
  }

  private static String chunk(ObjectNode delta, String finishReason) {
    ObjectNode body = header("chat.completion.chunk");
    ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    choice.put("finish_reason", finishReason);
    return body.toString();
  }

  private static String usageChunk(int in, int out) {
    ObjectNode body = header("chat.completion.chunk");
    body.putArray("choices");
    body.set("usage", usage(in, out));
    return body.toString();
  }

  private static ObjectNode header(String object) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-1")
        .put("object", object)
        .put("created", 1_700_000_000)
        .put("model", "test-model");
  }

  private static ObjectNode usage(int in, int out) {
    return JSON.createObjectNode()
        .put("prompt_tokens", in)
        .put("completion_tokens", out)
        .put("total_tokens", in + out);
  }
}
