package dev.baton.agent.llm;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP client LangChain4j's models use for one run: on the JDK client, but it keeps the
 * Retry-After of error responses, notes when bytes last arrived (so a stalled stream is noticed)
 * and can {@link #abort} everything in flight (so cancellation stops a stream at once).
 */
final class ProviderHttpClient implements HttpClient {
  private static final int MAX_ERROR_BODY = 16 * 1024;

  private final java.net.http.HttpClient http;
  private final Executor executor;
  private final Clock clock;
  private final Map<String, String> headers;
  private final Set<CompletableFuture<?>> requests = ConcurrentHashMap.newKeySet();
  private final Set<InputStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
  private volatile boolean aborted;

  /**
   * @param headers added to every request, replacing a header of the same name that LangChain4j set
   */
  ProviderHttpClient(
      java.net.http.HttpClient http, Executor executor, Clock clock, Map<String, String> headers) {
    this.http = http;
    this.executor = executor;
    this.clock = clock;
    this.headers = Map.copyOf(headers);
  }

  /** A builder LangChain4j's model builders accept; it always builds this client. */
  HttpClientBuilder builder() {
    return new HttpClientBuilder() {
      @Override
      public Duration connectTimeout() {
        return null;
      }

      @Override
      public HttpClientBuilder connectTimeout(Duration timeout) {
        return this;
      }

      @Override
      public Duration readTimeout() {
        return null;
      }

      @Override
      public HttpClientBuilder readTimeout(Duration timeout) {
        return this;
      }

      @Override
      public HttpClient build() {
        return ProviderHttpClient.this;
      }
    };
  }

  /** How long ago a request was sent or a byte of a response arrived. */
  Duration idle() {
    return Duration.ofNanos(System.nanoTime() - lastActivity.get());
  }

  /** Stops every request and stream of this client; later requests fail at once. Idempotent. */
  void abort() {
    aborted = true;
    requests.forEach(request -> request.cancel(true));
    for (InputStream stream : streams) {
      try {
        stream.close();
      } catch (IOException e) {
        // Closing is all that is wanted; a failure to close changes nothing.
      }
    }
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    CompletableFuture<HttpResponse<byte[]>> future = send(request, BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response = future.get();
      if (!isSuccessful(response)) {
        throw error(response, new String(response.body(), StandardCharsets.UTF_8));
      }
      return SuccessfulHttpResponse.builder()
          .statusCode(response.statusCode())
          .headers(response.headers().map())
          .body(response.body())
          .build();
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new CancellationException("interrupted while waiting for the provider");
    } finally {
      requests.remove(future);
    }
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    CompletableFuture<HttpResponse<InputStream>> future;
    try {
      future = send(request, BodyHandlers.ofInputStream());
    } catch (RuntimeException e) {
      listener.onError(e);
      return;
    }
    future.whenCompleteAsync(
        (response, error) -> {
          requests.remove(future);
          if (error != null) {
            listener.onError(failure(error));
          } else if (!isSuccessful(response)) {
            listener.onError(error(response, readErrorBody(response.body())));
          } else {
            parse(response, parser, listener);
          }
        },
        executor);
  }

  private void parse(
      HttpResponse<InputStream> response,
      ServerSentEventParser parser,
      ServerSentEventListener listener) {
    InputStream body = new ActivityInputStream(response.body());
    streams.add(body);
    try (body) {
      if (aborted) {
        throw new CancellationException("the run was stopped");
      }
      listener.onOpen(
          SuccessfulHttpResponse.builder()
              .statusCode(response.statusCode())
              .headers(response.headers().map())
              .build());
      parser.parse(body, listener);
      listener.onClose();
    } catch (IOException | RuntimeException e) {
      listener.onError(e);
    } finally {
      streams.remove(body);
    }
  }

  private <T> CompletableFuture<HttpResponse<T>> send(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    if (aborted) {
      throw new CancellationException("the run was stopped");
    }
    java.net.http.HttpRequest.Builder builder =
        java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().entrySet().stream()
        .filter(header -> !hasHeader(header.getKey()))
        .forEach(header -> header.getValue().forEach(v -> builder.header(header.getKey(), v)));
    headers.forEach(builder::header);
    builder.method(
        request.method().name(),
        request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    lastActivity.set(System.nanoTime());
    CompletableFuture<HttpResponse<T>> future = http.sendAsync(builder.build(), handler);
    requests.add(future);
    return future;
  }

  private boolean hasHeader(String name) {
    return headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
  }

  private ProviderHttpException error(HttpResponse<?> response, String body) {
    Duration retryAfter =
        response.headers().firstValue("Retry-After").map(this::retryAfter).orElse(null);
    return new ProviderHttpException(response.statusCode(), body, retryAfter);
  }

  /** Retry-After as seconds or as an HTTP date; {@code null} when it is neither. */
  private Duration retryAfter(String value) {
    String text = value.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
    } catch (NumberFormatException e) {
      try {
        Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(clock.instant(), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private static RuntimeException failure(Throwable error) {
    Throwable cause =
        error instanceof CompletionException || error instanceof ExecutionException
            ? error.getCause()
            : error;
    if (cause instanceof HttpTimeoutException) {
      return new TimeoutException(cause);
    }
    if (cause instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(cause);
  }

  private static boolean isSuccessful(HttpResponse<?> response) {
    return response.statusCode() >= 200 && response.statusCode() < 300;
  }

  private static String readErrorBody(InputStream body) {
    try (body) {
      return new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(the error response could not be read: " + e.getMessage() + ")";
    }
  }

  /** Notes every read of a response body as activity. */
  private final class ActivityInputStream extends FilterInputStream {
    ActivityInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      lastActivity.set(System.nanoTime());
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      lastActivity.set(System.nanoTime());
      return n;
    }
  }
}
