package dev.baton.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.baton.server.AddressInUse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operations endpoint: {@code /metrics} (Prometheus text), {@code /healthz} (the process is up)
 * and {@code /readyz} (the store and Temporal answer; 503 with the reason otherwise).
 */
public final class OpsHttpServer implements AutoCloseable {
  private final HttpServer server;

  /** What {@code /readyz} checks: null when ready, else why not. */
  public interface Readiness {
    String problem();
  }

  private OpsHttpServer(HttpServer server) {
    this.server = server;
  }

  public static OpsHttpServer start(
      String host, int port, Supplier<String> scrape, Readiness readiness) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.setExecutor(
          Executors.newFixedThreadPool(
              2,
              runnable -> {
                Thread thread = new Thread(runnable, "baton-ops-http");
                thread.setDaemon(true);
                return thread;
              }));
      server.createContext(
          "/metrics",
          exchange ->
              respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
      server.createContext(
          "/healthz", exchange -> respond(exchange, 200, "text/plain; charset=utf-8", "ok\n"));
      server.createContext(
          "/readyz",
          exchange -> {
            String problem = readiness.problem();
            if (problem == null) {
              respond(exchange, 200, "text/plain; charset=utf-8", "ready\n");
            } else {
              respond(exchange, 503, "text/plain; charset=utf-8", "not ready: " + problem + "\n");
            }
          });
      server.start();
      return new OpsHttpServer(server);
    } catch (IOException e) {
      String where = "cannot serve metrics and health on " + host + ":" + port;
      if (AddressInUse.causedBy(e)) {
        throw new IllegalStateException(
            where + ": the address is in use. Choose another with --metrics-port", e);
      }
      throw new UncheckedIOException(where + " (choose another with --metrics-port)", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
