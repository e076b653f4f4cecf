package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model provider on 127.0.0.1 that answers each request with the next scripted {@link Reply} and
 * records what it was sent.
 */
final class FakeProvider implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One scripted answer. */
  @FunctionalInterface
  interface Reply {
    void send(HttpExchange exchange, FakeProvider provider) throws IOException;
  }

  /** A request as the provider saw it. */
  record Request(
      String path,
      String query,
      String authorization,
      String apiKeyHeader,
      Map<String, List<String>> headers,
      JsonNode body,
      long at) {

    /** The first value of a header, or null. */
    String header(String name) {
      return headers.entrySet().stream()
          .filter(header -> header.getKey().equalsIgnoreCase(name))
          .map(header -> header.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicInteger chunksSent = new AtomicInteger();
  private final AtomicBoolean clientGone = new AtomicBoolean();

  private FakeProvider() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeProvider start() throws IOException {
    return new FakeProvider();
  }

  FakeProvider reply(Reply... scripted) {
    replies.addAll(List.of(scripted));
    return this;
  }

  /** The base URL of this server plus {@code path}, e.g. {@code /v1}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Request> requests() {
    return requests;
  }

  int chunksSent() {
    return chunksSent.get();
  }

  /** Whether a client hung up on a stream that was still being written. */
  boolean clientGone() {
    return clientGone.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      JsonNode body = bytes.length == 0 ? null : JSON.readTree(bytes);
      requests.add(
          new Request(
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getQuery(),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("x-api-key"),
              Map.copyOf(exchange.getRequestHeaders()),
              body,
              System.nanoTime()));
      Reply reply = replies.poll();
      if (reply == null) {
        send(exchange, 500, "{\"error\":{\"message\":\"no reply scripted for this request\"}}");
      } else {
        reply.send(exchange, this);
      }
    }
  }

  static void send(HttpExchange exchange, int status, String body, String... headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      exchange.getResponseHeaders().set(headers[i], headers[i + 1]);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Starts a server-sent event stream. */
  static OutputStream startEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes one event, flushed at once. */
  void event(OutputStream out, String event, String data) throws IOException {
    String text = (event == null ? "" : "event: " + event + "\n") + "data: " + data + "\n\n";
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    chunksSent.incrementAndGet();
  }

  /** Writes {@code data} every {@code every} until the client hangs up or the server closes. */
  void eventsUntilClientGone(OutputStream out, String data, Duration every) {
    try {
      while (!closed.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
        event(out, null, data);
      }
    } catch (IOException e) {
      clientGone.set(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until the server closes: a provider that never answers. */
  void hang() {
    try {
      closed.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
