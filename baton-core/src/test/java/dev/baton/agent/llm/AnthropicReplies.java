package dev.baton.agent.llm;

import static dev.baton.agent.llm.FakeProvider.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.llm.FakeProvider.Reply;
import java.io.IOException;
import java.io.OutputStream;

/** Answers in Anthropic's messages protocol, plain and streamed. */
final class AnthropicReplies {
  private AnthropicReplies() {}

  static Reply answer(String text, int in, int out) {
    ObjectNode body = message("end_turn", in, out);
    body.withArray("content").addObject().put("type", "text").put("text", text);
    return OpenAiReplies.status(200, body.toString());
  }

  static Reply toolUse(String id, String name, String inputJson, int in, int out)
      throws IOException {
    ObjectNode body = message("tool_use", in, out);
    ArrayNode content = body.withArray("content");
    content.addObject().put("type", "text").put("text", "Let me look that up.");
    ObjectNode use = content.addObject().put("type", "tool_use").put("id", id).put("name", name);
    use.set("input", JSON.readTree(inputJson));
    return OpenAiReplies.status(200, body.toString());
  }

  /** Streams the text in these chunks with the message_start ... message_stop events. */
  static Reply streamAnswer(int in, int out, String... chunks) {
    return (exchange, provider) -> {
      try (OutputStream events = FakeProvider.startEvents(exchange)) {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = message(null, in, 1);
        start.set("message", message);
        provider.event(events, "message_start", start.toString());
        ObjectNode blockStart =
            JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        blockStart.putObject("content_block").put("type", "text").put("text", "");
        provider.event(events, "content_block_start", blockStart.toString());
        for (String chunk : chunks) {
          ObjectNode delta =
              JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
          delta.putObject("delta").put("type", "text_delta").put("text", chunk);
          provider.event(events, "content_block_delta", delta.toString());
        }
        provider.event(
            events, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
        ObjectNode end = JSON.createObjectNode().put("type", "message_delta");
        end.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
        end.putObject("usage").put("output_tokens", out);
        provider.event(events, "message_delta", end.toString());
        provider.event(events, "message_stop", "{\"type\":\"message_stop\"}");
      }
    };
  }

  private static ObjectNode message(String stopReason, int in, int out) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("id", "msg_1")
            .put("type", "message")
            .put("role", "assistant")
            .put("model", "claude-test");
    body.putArray("content");
    body.put("stop_reason", stopReason);
    body.putNull("stop_sequence");
    body.putObject("usage").put("input_tokens", in).put("output_tokens", out);
    return body;
  }
}
