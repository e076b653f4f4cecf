package dev.baton.agent.llm;

import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.Map;

/**
 * Builds LangChain4j's models for an agent's settings. LangChain4j's own retries are off (the
 * runner retries, heartbeating while it waits) and so is its request logging (it would log the
 * key). Settings' extra headers are added by {@link ProviderHttpClient}, for every provider alike.
 */
final class ChatModels {
  private ChatModels() {}

  static ChatModel chatModel(LlmSettings s, Endpoint endpoint, HttpClientBuilder http) {
    return switch (s.provider()) {
      case OPENAI ->
          OpenAiChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .apiKey(endpoint.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(s.requestTimeout())
              .maxRetries(0)
              .logRequests(false)
              .logResponses(false)
              .build();
      case ANTHROPIC ->
          AnthropicChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .apiKey(endpoint.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(s.requestTimeout())
              .maxRetries(0)
              .logRequests(false)
              .logResponses(false)
              .build();
      case OLLAMA ->
          OllamaChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .customHeaders(bearer(endpoint.apiKey()))
              .modelName(s.model())
              .temperature(s.temperature())
              .numPredict(s.maxTokens())
              .timeout(s.requestTimeout())
              .maxRetries(0)
              .logRequests(false)
              .logResponses(false)
              .build();
    };
  }

  static StreamingChatModel streamingModel(
      LlmSettings s, Endpoint endpoint, HttpClientBuilder http) {
    return switch (s.provider()) {
      case OPENAI ->
          OpenAiStreamingChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .apiKey(endpoint.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(s.requestTimeout())
              .logRequests(false)
              .logResponses(false)
              .build();
      case ANTHROPIC ->
          AnthropicStreamingChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .apiKey(endpoint.apiKey())
              .modelName(s.model())
              .temperature(s.temperature())
              .maxTokens(s.maxTokens())
              .timeout(s.requestTimeout())
              .logRequests(false)
              .logResponses(false)
              .build();
      case OLLAMA ->
          OllamaStreamingChatModel.builder()
              .httpClientBuilder(http)
              .baseUrl(endpoint.baseUrl())
              .customHeaders(bearer(endpoint.apiKey()))
              .modelName(s.model())
              .temperature(s.temperature())
              .numPredict(s.maxTokens())
              .timeout(s.requestTimeout())
              .logRequests(false)
              .logResponses(false)
              .build();
    };
  }

  /** Ollama itself takes no key, but a proxy in front of it may want one. */
  private static Map<String, String> bearer(String apiKey) {
    return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
  }
}
