package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.Durations;
import dev.baton.agent.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an {@code llm} agent, checked. See {@link LlmRunner} for what each means.
 *
 * @param baseUrl the provider's URL as written, {@code ${secret:NAME}} references unresolved: fit
 *     for messages; {@link Endpoint} holds the resolved one
 * @param apiKeyEnv the name of the environment variable holding the API key, or {@code null}
 * @param apiKey the API key as a secret reference ({@code ${secret:NAME}}), or {@code null}
 * @param headers extra HTTP headers of every request, values possibly with secret references
 * @param temperature {@code null} for the provider's default
 * @param maxTokens {@code null} for the provider's default
 */
record LlmSettings(
    Provider provider,
    String model,
    String baseUrl,
    String apiKeyEnv,
    String apiKey,
    Map<String, String> headers,
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
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  /** Headers the JDK's HTTP client sets itself and refuses to take. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final String FIELD_LIST =
      "provider, model, baseUrl, apiKey, apiKeyEnv, headers, instructions, temperature, maxSteps,"
          + " maxTokens, requestTimeout, stream and tools";
  private static final Set<String> FIELDS =
      Set.of(
          "provider",
          "model",
          "baseUrl",
          "apiKey",
          "apiKeyEnv",
          "headers",
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
      if (!FIELDS.contains(key) && !AgentSettings.isReserved(key)) {
        throw new IllegalArgumentException(
            "unknown setting 'settings." + key + "'; the llm runner expects " + FIELD_LIST);
      }
    }
    Provider provider = provider(settings.get("provider"));
    String apiKey = apiKey(settings.get("apiKey"));
    String apiKeyEnv = apiKeyEnv(settings.get("apiKeyEnv"), provider, apiKey != null);
    Integer maxTokens = positive(settings, "maxTokens", null);
    return new LlmSettings(
        provider,
        model(settings.get("model")),
        baseUrl(settings.get("baseUrl"), provider),
        apiKeyEnv,
        apiKey,
        headers(settings.get("headers")),
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
    if (node.isTextual()) {
      checkReferences("baseUrl", text);
      // A reference stands for text only known at run time: check the rest of the URL now.
      if (isHttpUrl(text.replaceAll("\\$\\{secret:[^}]*}", "secret"))) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      }
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

  /** Whether {@code text} is an absolute http(s) URL with a host. */
  static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String apiKey(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || !Secrets.isReference(node.asText().strip())) {
      // The value is not echoed: it may be a key pasted in by mistake.
      throw new IllegalArgumentException(
          "settings.apiKey must be a secret reference such as ${secret:OPENAI_API_KEY}, resolved"
              + " from the server's environment or secrets file when the agent runs; never write"
              + " a key into an agent file");
    }
    Secrets.checkReferences(node.asText().strip());
    return node.asText().strip();
  }

  private static String apiKeyEnv(JsonNode node, Provider provider, boolean hasApiKey) {
    if (node == null || node.isNull()) {
      if (provider == Provider.ANTHROPIC && !hasApiKey) {
        throw new IllegalArgumentException(
            "settings.apiKey is missing; anthropic needs an API key: reference a secret, e.g."
                + " apiKey: ${secret:ANTHROPIC_API_KEY}, or name the environment variable that"
                + " holds it, e.g. apiKeyEnv: ANTHROPIC_API_KEY");
      }
      return null;
    }
    if (hasApiKey) {
      throw new IllegalArgumentException(
          "settings.apiKey and settings.apiKeyEnv are both set; keep one");
    }
    if (!node.isTextual() || !ENV_NAME.matcher(node.asText()).matches()) {
      // The value is not echoed: it may be a key pasted in by mistake.
      throw new IllegalArgumentException(
          "settings.apiKeyEnv must be the NAME of an environment variable (letters, digits and"
              + " '_', e.g. OPENAI_API_KEY), not the key itself");
    }
    Secrets.requireNotBatonSetting(node.asText(), "settings.apiKeyEnv " + node.asText());
    return node.asText();
  }

  private static Map<String, String> headers(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "settings.headers must be a map of header names to values, e.g. headers:"
              + " {OpenAI-Organization: \"${secret:OPENAI_ORG}\"}");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      if (!HEADER_NAME.matcher(name).matches()
          || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "settings.headers: '"
                + name
                + "' is not a header Baton can send; expected a name of letters, digits and"
                + " '-', other than Connection, Content-Length, Expect, Host and Upgrade");
      }
      if (!entry.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "settings.headers." + name + " must be a string; quote it in the agent file");
      }
      checkReferences("headers." + name, entry.getValue().asText());
      headers.put(name, entry.getValue().asText());
    }
    return Collections.unmodifiableMap(headers);
  }

  private static void checkReferences(String field, String value) {
    try {
      Secrets.checkReferences(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("settings." + field + ": " + e.getMessage(), e);
    }
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
