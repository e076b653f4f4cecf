package dev.baton.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Times {@code baton server} as a user starts it: through the {@code ./baton} launcher (with the
 * class-data archive it keeps for the server), a new JVM each time, from the command to the first
 * {@code /readyz} that answers 200 (gRPC served, Temporal reachable, workers polling).
 */
final class ServerStart {
  private static final Duration READY_WITHIN = Duration.ofMinutes(2);

  /** The first start may build the CLI (downloading its dependencies) and the archive. */
  private static final Duration FIRST_READY_WITHIN = Duration.ofMinutes(15);

  private ServerStart() {}

  /**
   * The median of {@code runs} starts after one unmeasured start (which builds the CLI or the
   * server's class-data archive if missing), each on a fresh home; empty when the launcher or the
   * CLI jar is missing or a start fails.
   */
  static Optional<Long> measure(Path root, Path scratch, int runs)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    return LauncherTimings.median(
        root,
        runs,
        (launcher, run) ->
            startOnce(
                launcher,
                scratch.resolve("start-" + run),
                http,
                run == 0 ? FIRST_READY_WITHIN : READY_WITHIN));
  }

  private static Optional<Long> startOnce(
      Path launcher, Path home, HttpClient http, Duration readyWithin)
      throws IOException, InterruptedException {
    Files.createDirectories(home);
    int metricsPort = freePort();
    long start = System.nanoTime();
    ProcessBuilder command =
        new ProcessBuilder(
                launcher.toString(),
                "server",
                "--home",
                home.toString(),
                "--listen",
                "127.0.0.1:" + freePort(),
                "--embedded-temporal-port",
                Integer.toString(freePort()),
                "--metrics-port",
                Integer.toString(metricsPort))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("server.log").toFile());
    // The launcher's defaults, not whatever the benchmark's own environment says.
    command.environment().keySet().removeIf(name -> name.startsWith("BATON_"));
    Process server = command.start();
    try {
      HttpRequest ready =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz"))
              .timeout(Duration.ofSeconds(2))
              .build();
      long deadline = System.nanoTime() + readyWithin.toNanos();
      while (System.nanoTime() < deadline && server.isAlive()) {
        if (answers200(http, ready)) {
          return Optional.of((System.nanoTime() - start) / 1_000_000);
        }
        Thread.sleep(20);
      }
      return Optional.empty();
    } finally {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  private static boolean answers200(HttpClient http, HttpRequest request)
      throws InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
