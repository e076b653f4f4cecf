package dev.baton.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.agent.Durations;
import dev.langchain4j.exception.TimeoutException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Why one model call failed, said for people, and whether trying again may help.
 *
 * @param message what happened, naming provider, model and, for HTTP errors, the status and the
 *     provider's own error text; never the API key
 * @param retryable whether the same call may be sent again: rate limits and server errors
 * @param retryAfter how long the provider asked to wait, if it said
 */
record ProviderError(String message, boolean retryable, Optional<Duration> retryAfter) {
  private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504, 529);
  private static final int MAX_TEXT = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A call that got no answer within {@code settings.requestTimeout}. */
  static final class IdleTimeout extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdleTimeout(Duration timeout) {
      super(Durations.format(timeout), null, false, false);
    }
  }

  /**
   * A streamed answer that ended without the provider saying why it stopped: the connection closed
   * mid-answer, or what came back was not an answer in the provider's streaming format (an empty
   * body, an error object, malformed JSON) that the streaming client skipped.
   */
  static final class IncompleteStream extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IncompleteStream() {
      super("the streamed answer ended without a finish reason", null, false, false);
    }
  }

  /**
   * Classifies what a LangChain4j model threw.
   *
   * @param redact removes the key and other secrets in use from any text the provider sent back
   */
  static ProviderError of(Throwable error, LlmSettings settings, UnaryOperator<String> redact) {
    String who = settings.provider().id() + " model '" + settings.model() + "'";
    ProviderHttpException http = find(error, ProviderHttpException.class);
    if (http != null) {
      return http(http, settings, who, redact);
    }
    IdleTimeout idle = find(error, IdleTimeout.class);
    if (idle != null
        || find(error, TimeoutException.class) != null
        || find(error, HttpTimeoutException.class) != null) {
      String waited =
          idle != null ? idle.getMessage() : Durations.format(settings.requestTimeout());
      return fatal(
          who
              + " at "
              + settings.baseUrl()
              + " did not answer within "
              + waited
              + " (settings.requestTimeout); the request was abandoned. Raise requestTimeout for"
              + " slow models, or check that the server is not overloaded");
    }
    if (find(error, IncompleteStream.class) != null) {
      // Often a proxy or the provider dropping the connection: worth another attempt.
      return new ProviderError(
          who
              + " at "
              + settings.baseUrl()
              + " ended its streamed answer without a finish reason: the connection closed"
              + " mid-answer, or the reply was not a "
              + settings.provider().id()
              + " stream (check settings.baseUrl, or set stream: false to see the reply)",
          true,
          Optional.empty());
    }
    JsonProcessingException json = find(error, JsonProcessingException.class);
    if (json != null) {
      return fatal(
          who
              + " at "
              + settings.baseUrl()
              + " answered with malformed JSON ("
              + redact.apply(json.getOriginalMessage())
              + "); check that settings.baseUrl points at a "
              + settings.provider().id()
              + " API");
    }
    if (find(error, ConnectException.class) != null
        || find(error, UnresolvedAddressException.class) != null) {
      return fatal(
          who
              + ": could not connect to "
              + settings.baseUrl()
              + "; is the server running and settings.baseUrl right?");
    }
    return fatal(who + " failed: " + redact.apply(describe(error)));
  }

  private static ProviderError http(
      ProviderHttpException http, LlmSettings settings, String who, UnaryOperator<String> redact) {
    int status = http.statusCode();
    String text = redact.apply(providerText(http.body()));
    String prefix = who + " at " + settings.baseUrl() + " answered HTTP " + status;
    String hint;
    if (status == 401 || status == 403) {
      if (settings.apiKey() != null) {
        hint = ": the API key " + settings.apiKey() + " was refused";
      } else if (settings.apiKeyEnv() != null) {
        hint = ": the API key in $" + settings.apiKeyEnv() + " was refused";
      } else {
        hint =
            ": it wants an API key; reference a secret in settings.apiKey, e.g. apiKey:"
                + " ${secret:OPENAI_API_KEY}, or name an environment variable in"
                + " settings.apiKeyEnv";
      }
    } else if (status == 404) {
      hint = ": check settings.model and settings.baseUrl";
    } else if (status == 429) {
      hint = " (rate limited)";
    } else {
      hint = "";
    }
    return new ProviderError(
        prefix + hint + (text.isEmpty() ? "" : ": " + text),
        RETRYABLE.contains(status),
        http.retryAfter());
  }

  private static ProviderError fatal(String message) {
    return new ProviderError(message, false, Optional.empty());
  }

  /** The message of an error body such as {"error":{"message":"..."}}, else the body itself. */
  private static String providerText(String body) {
    String text = body.strip();
    try {
      JsonNode root = JSON.readTree(text);
      JsonNode error = root == null ? null : root.get("error");
      if (error != null && error.isTextual()) {
        text = error.asText();
      } else if (error != null && error.hasNonNull("message")) {
        text = error.get("message").asText();
      } else if (root != null && root.hasNonNull("message")) {
        text = root.get("message").asText();
      }
    } catch (JsonProcessingException e) {
      // Not JSON: the body is the text.
    }
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "..." : text;
  }

  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
