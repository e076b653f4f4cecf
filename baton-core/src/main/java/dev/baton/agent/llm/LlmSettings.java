package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an {@code llm} agent, checked. See {@link LlmRunner} for what each means.
 *
 * @param apiKeyEnv the name of the environment variable holding the API key, or {@code null}
 * @param temperature {@code null} for the provider's default
 * @param maxTokens {@code null} for the provider's default
 */
record LlmSettings(
    Provider provider,
    String model,
    String baseUrl,
    String apiKeyEnv,
    String instructions,
    Double temperature,
    int maxSteps,
    Integer maxTokens,
    Duration requestTimeout,
    boolean stream,
    List<CommandTool> tools) {
  static final int DEFAULT_MAX_STEPS = 8;
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** Anthropic requires a bound; LangChain4j's default (1024) is short for an agent. */
  static final int ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FIELD_LIST =
      "provider, model, baseUrl, apiKeyEnv, instructions, temperature, maxSteps, maxTokens,"
          + " requestTimeout, stream and tools";
  private static final Set<String> FIELDS =
      Set.of(
          "provider",
          "model",
          "baseUrl",
          "apiKeyEnv",
          "instructions",
          "temperature",
          "maxSteps",
          "maxTokens",
          "requestTimeout",
          "stream",
          "tools");

  /**
   * Reads the settings of an agent.
   *
   * @throws IllegalArgumentException naming the setting that is wrong and what was expected
   */
  static LlmSettings of(AgentDefinition agent) {
    ObjectNode settings = agent.settings();
    for (Map.Entry<String, JsonNode> entry : settings.properties()) {
      String key = entry.getKey();
      if (key.equals("apiKey")) {
        throw new IllegalArgumentException(
            "settings.apiKey is not allowed: never write a key into an agent file; put it in an"
                + " environment variable of the server and name that variable in"
                + " settings.apiKeyEnv, e.g. apiKeyEnv: OPENAI_API_KEY");
      }
      if (!FIELDS.contains(key) && !AgentSettings.isReserved(key)) {
        throw new IllegalArgumentException(
            "unknown setting 'settings." + key + "'; the llm runner expects " + FIELD_LIST);
      }
    }
    Provider provider = provider(settings.get("provider"));
    String apiKeyEnv = apiKeyEnv(settings.get("apiKeyEnv"), provider);
    Integer maxTokens = positive(settings, "maxTokens", null);
    return new LlmSettings(
        provider,
        model(settings.get("model")),
        baseUrl(settings.get("baseUrl"), provider),
        apiKeyEnv,
        text(settings, "instructions"),
        temperature(settings.get("temperature")),
        positive(settings, "maxSteps", DEFAULT_MAX_STEPS),
        maxTokens == null && provider == Provider.ANTHROPIC
            ? Integer.valueOf(ANTHROPIC_DEFAULT_MAX_TOKENS)
            : maxTokens,
        requestTimeout(settings.get("requestTimeout")),
        stream(settings.get("stream")),
        tools(settings.get("tools"), AgentSettings.baseDirectory(agent).orElse(null)));
  }

  private static Provider provider(JsonNode node) {
    String expected =
        "expected openai (any OpenAI-compatible server: OpenAI, vLLM, LM Studio, OpenRouter,"
            + " Ollama's /v1), ollama or anthropic";
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("settings.provider is missing; " + expected);
    }
    return Provider.of(node.asText())
        .filter(p -> node.isTextual())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "settings.provider '" + node.asText() + "' is unknown; " + expected));
  }

  private static String model(JsonNode node) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(
          "settings.model is "
              + (node == null ? "missing" : "not a model name")
              + "; expected the provider's model name, e.g. model: gpt-4o-mini or model: llama3.2");
    }
    return node.asText();
  }

  private static String baseUrl(JsonNode node, Provider provider) {
    if (node == null || node.isNull()) {
      return provider.defaultBaseUrl();
    }
    String text = node.asText();
    try {
      URI uri = new URI(text);
      if (node.isTextual()
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      }
    } catch (URISyntaxException e) {
      // Reported below like any other unusable value.
    }
    throw new IllegalArgumentException(
        "settings.baseUrl '"
            + text
            + "' is not an http(s) URL; expected e.g. http://localhost:11434/v1 (default for "
            + provider.id()
            + ": "
            + provider.defaultBaseUrl()
            + ")");
  }

  private static String apiKeyEnv(JsonNode node, Provider provider) {
    if (node == null || node.isNull()) {
      if (provider == Provider.ANTHROPIC) {
        throw new IllegalArgumentException(
            "settings.apiKeyEnv is missing; anthropic needs an API key: name the environment"
                + " variable that holds it, e.g. apiKeyEnv: ANTHROPIC_API_KEY");
      }
      return null;
    }
    if (!node.isTextual() || !ENV_NAME.matcher(node.asText()).matches()) {
      // The value is not echoed: it may be a key pasted in by mistake.
      throw new IllegalArgumentException(
          "settings.apiKeyEnv must be the NAME of an environment variable (letters, digits and"
              + " '_', e.g. OPENAI_API_KEY), not the key itself");
    }
    return node.asText();
  }

  private static String text(ObjectNode settings, String field) {
    JsonNode node = settings.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException("settings." + field + " must be a string");
    }
    return node.asText();
  }

  private static Double temperature(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 2) {
      throw new IllegalArgumentException(
          "settings.temperature must be a number from 0 to 2, e.g. temperature: 0.2; found "
              + node);
    }
    return node.asDouble();
  }

  private static Integer positive(ObjectNode settings, String field, Integer fallback) {
    JsonNode node = settings.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
      throw new IllegalArgumentException(
          "settings." + field + " must be a whole number of at least 1; found " + node);
    }
    return node.asInt();
  }

  private static Duration requestTimeout(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_REQUEST_TIMEOUT;
    }
    Duration timeout =
        node.isTextual() ? Durations.parse(node.asText()).orElse(Duration.ZERO) : Duration.ZERO;
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "settings.requestTimeout must be a positive duration, e.g. 30s or 2m; found " + node);
    }
    return timeout;
  }

  private static boolean stream(JsonNode node) {
    if (node == null || node.isNull()) {
      return true;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException("settings.stream must be true or false; found " + node);
    }
    return node.asBoolean();
  }

  private static List<CommandTool> tools(JsonNode node, Path baseDirectory) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "settings.tools must be a list of tools, each with name, description, parameters and"
              + " command");
    }
    List<CommandTool> tools = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      CommandTool tool = CommandTool.of(node.get(i), i, baseDirectory);
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException(
            "settings.tools[" + i + "].name '" + tool.name() + "' is used by an earlier tool");
      }
      tools.add(tool);
    }
    return List.copyOf(tools);
  }
}
