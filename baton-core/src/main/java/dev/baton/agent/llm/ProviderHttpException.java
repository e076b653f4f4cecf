package dev.baton.agent.llm;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.util.Optional;

/**
 * A provider answered with an HTTP error. Unlike LangChain4j's {@link HttpException} it keeps the
 * Retry-After the provider asked for; LangChain4j's mappers wrap it, so it is found in the cause
 * chain.
 */
final class ProviderHttpException extends HttpException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  ProviderHttpException(int statusCode, String body, Duration retryAfter) {
    super(statusCode, body);
    this.retryAfter = retryAfter;
  }

  /** The response body: the provider's own error text. */
  String body() {
    return getMessage() == null ? "" : getMessage();
  }

  Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
