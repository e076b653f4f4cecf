package dev.baton.agent.llm;

import dev.baton.agent.Secrets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where and how one run reaches its provider, with the {@code ${secret:NAME}} references of the
 * settings resolved: base URL, API key and extra headers. It lives only as long as the run and is
 * never stored, logged or shown; {@link #redact} removes its secrets from any text that may be (a
 * provider's error that echoes the key or the URL).
 */
final class Endpoint {
  private final String baseUrl;
  private final String apiKey;
  private final Map<String, String> headers;
  private final List<String> secrets;

  private Endpoint(
      String baseUrl, String apiKey, Map<String, String> headers, List<String> secrets) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.headers = headers;
    this.secrets = secrets;
  }

  /**
   * Resolves the settings' secrets.
   *
   * @param keyFromEnvironment the key read from {@code apiKeyEnv}, or {@code null}
   * @throws IllegalArgumentException when a secret is not set or the base URL it makes is not an
   *     http(s) URL; the message names the setting and the secret, never a value
   */
  static Endpoint resolve(LlmSettings settings, String keyFromEnvironment, Secrets resolver) {
    List<String> used = new ArrayList<>();
    String apiKey = keyFromEnvironment;
    if (apiKey != null) {
      used.add(apiKey);
    }
    if (settings.apiKey() != null) {
      apiKey = resolver.resolve(settings.apiKey(), used).strip();
      if (apiKey.isEmpty()) {
        throw new IllegalArgumentException(
            "settings.apiKey " + settings.apiKey() + " resolves to an empty key");
      }
    }
    String baseUrl = resolver.resolve(settings.baseUrl(), used);
    if (!baseUrl.equals(settings.baseUrl()) && !LlmSettings.isHttpUrl(baseUrl)) {
      throw new IllegalArgumentException(
          "settings.baseUrl '"
              + settings.baseUrl()
              + "' is not an http(s) URL once its secrets are filled in; check their values");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    settings.headers().forEach((name, value) -> headers.put(name, resolver.resolve(value, used)));
    // Longest first, so a secret that contains another is removed whole.
    List<String> secrets =
        used.stream()
            .filter(secret -> !secret.isEmpty())
            .distinct()
            .sorted((a, b) -> b.length() - a.length())
            .toList();
    return new Endpoint(baseUrl, apiKey, Collections.unmodifiableMap(headers), secrets);
  }

  /**
   * The environment variables a secret of these settings may have come from, plus {@code
   * apiKeyEnv}: tools the model calls do not inherit them.
   */
  static Set<String> secretVariables(LlmSettings settings) {
    Set<String> variables = new LinkedHashSet<>();
    if (settings.apiKeyEnv() != null) {
      variables.add(settings.apiKeyEnv());
    }
    if (settings.apiKey() != null) {
      variables.addAll(Secrets.environmentVariables(settings.apiKey()));
    }
    variables.addAll(Secrets.environmentVariables(settings.baseUrl()));
    settings.headers().values().forEach(v -> variables.addAll(Secrets.environmentVariables(v)));
    return variables;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** The API key, or {@code null} when the provider is called without one. */
  String apiKey() {
    return apiKey;
  }

  /** Headers added to every request. */
  Map<String, String> headers() {
    return headers;
  }

  /** {@code text} with every secret value of this endpoint replaced by {@code ***}. */
  String redact(String text) {
    if (text == null) {
      return "";
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }

  @Override
  public String toString() {
    return "Endpoint[secrets redacted]";
  }
}
