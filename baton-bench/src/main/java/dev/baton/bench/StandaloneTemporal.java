package dev.baton.bench;

import dev.baton.server.temporal.EmbeddedTemporal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server in a JVM of its own, as {@code baton dev-temporal} runs it ({@link
 * EmbeddedTemporal}), reached over loopback TCP like an external Temporal: the benchmark's second
 * set-up, beside the test server embedded in Baton's JVM.
 *
 * <p>Not Temporal's own {@code io.temporal.testserver.TestServer} main: that one keeps the timer
 * lock log Baton bounds ({@code TimerLockLog}), whose linear search took about half of its CPU by
 * the burst scenario (docs/performance.md, fifteenth round), so the figures over TCP measured the
 * test server's age rather than Baton or the network hop.
 *
 * <p>Its JVM runs with a GC pause goal of {@link #GC_PAUSE_GOAL_MILLIS} ms: the test server keeps
 * every workflow history in its heap, and by the last scenarios of a full run its young collections
 * took 90-115 ms (G1's default goal is 200 ms), stalling every call in flight in whichever mode's
 * round they fell; the overhead p99 with agents in flight measured those pauses rather than Baton
 * (docs/performance.md, nineteenth round). A real Temporal cluster keeps histories in its database.
 */
final class StandaloneTemporal implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** The test server JVM's {@code -XX:MaxGCPauseMillis}. */
  static final int GC_PAUSE_GOAL_MILLIS = 20;

  private final Process process;
  private final int port;

  private StandaloneTemporal(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts it on a free loopback port from this JVM's class path and waits until it listens. */
  static StandaloneTemporal start(Path log) {
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try {
      Process process =
          new ProcessBuilder(
                  java,
                  "-XX:MaxGCPauseMillis=" + GC_PAUSE_GOAL_MILLIS,
                  "-cp",
                  System.getProperty("java.class.path"),
                  StandaloneTemporal.class.getName(),
                  String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      StandaloneTemporal server = new StandaloneTemporal(process, port);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the standalone Temporal test server", e);
    }
  }

  /** The other JVM's entry point: serves on the port given until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    EmbeddedTemporal temporal = EmbeddedTemporal.start(Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(temporal::close, "temporal-shutdown"));
    Thread.currentThread().join();
  }

  /** The test server's JVM, whose JIT the warm-up waits for too. */
  long pid() {
    return process.pid();
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the standalone Temporal test server exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(100);
      }
    }
    close();
    throw new IllegalStateException(
        "the standalone Temporal test server did not listen on " + target() + " within 60 s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
