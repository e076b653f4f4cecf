package dev.baton.agent.llm;

import java.util.Arrays;
import java.util.Optional;

/** The model APIs the {@code llm} runner speaks, by their {@code settings.provider} name. */
enum Provider {
  /** OpenAI's chat-completions API, also served by vLLM, LM Studio, OpenRouter and Ollama's /v1. */
  OPENAI("openai", "https://api.openai.com/v1"),
  /** Ollama's native API. */
  OLLAMA("ollama", "http://localhost:11434"),
  /** Anthropic's messages API. */
  ANTHROPIC("anthropic", "https://api.anthropic.com/v1");

  private final String id;
  private final String defaultBaseUrl;

  Provider(String id, String defaultBaseUrl) {
    this.id = id;
    this.defaultBaseUrl = defaultBaseUrl;
  }

  /** The name agent definitions use. */
  String id() {
    return id;
  }

  String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  static Optional<Provider> of(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
  }
}
