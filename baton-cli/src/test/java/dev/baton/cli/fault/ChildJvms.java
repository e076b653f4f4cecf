package dev.baton.cli.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code baton} commands run as child JVMs on the test's classpath, each writing its output to a
 * file of its own. Closing kills every child still running, every process a child started (agents
 * run in sessions of their own and outlive a killed server), and prints the tail of each log.
 */
final class ChildJvms implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(45);
  private static final int LOG_TAIL_LINES = 40;

  private final Path logDir;
  private final List<ChildJvm> children = new ArrayList<>();
  private final Set<ProcessHandle> leftovers = new LinkedHashSet<>();
  // Also on Ctrl-C of the build: no JVM or agent outlives the test run.
  private final Thread killOnExit = new Thread(this::killAll, "fault-test-children");

  ChildJvms(Path logDir) {
    this.logDir = logDir;
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** A loopback port nobody listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code baton dev-temporal --port port} and waits until it serves. */
  ChildJvm devTemporal(int port) {
    return awaitReady(startDevTemporal(port));
  }

  /** Starts {@code baton server ARGS} and waits until its gRPC API serves. */
  ChildJvm server(List<String> args) {
    return awaitReady(startServer(args));
  }

  /** Starts {@code baton dev-temporal --port port}; see {@link #awaitReady}. */
  ChildJvm startDevTemporal(int port) {
    return start(
        "dev-temporal",
        List.of("dev-temporal", "--port", String.valueOf(port)),
        "Temporal test server listening on");
  }

  /**
   * Starts {@code baton server ARGS}; see {@link #awaitReady}. A server waits up to 30 s for its
   * Temporal, so it may be started alongside a {@code dev-temporal}.
   */
  ChildJvm startServer(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add("server");
    // Servers started one after another must not compete for the fixed default metrics port.
    command.addAll(List.of("--metrics-port", "0"));
    command.addAll(args);
    return start("server", command, "baton server listening on");
  }

  /** Waits until {@code child} prints that it serves; fails with its log if it exits first. */
  ChildJvm awaitReady(ChildJvm child) {
    await()
        .atMost(STARTUP)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (child.logText().contains(child.readyLine())) {
                return true;
              }
              if (!child.process().isAlive()) {
                throw new AssertionError(
                    child.name()
                        + " exited with code "
                        + child.process().exitValue()
                        + " before printing '"
                        + child.readyLine()
                        + "':\n"
                        + child.logTail(LOG_TAIL_LINES));
              }
              return false;
            });
    return child;
  }

  /**
   * Kills {@code child} with SIGKILL and waits until it is gone. The processes it started are left
   * running, as a real {@code kill -9} leaves them, and returned; closing this kills them.
   */
  List<ProcessHandle> killHard(ChildJvm child) {
    List<ProcessHandle> descendants = child.process().descendants().toList();
    leftovers.addAll(descendants);
    child.process().destroyForcibly();
    awaitExit(child);
    return descendants.stream().filter(ProcessHandle::isAlive).toList();
  }

  @Override
  public void close() {
    killAll();
    Runtime.getRuntime().removeShutdownHook(killOnExit);
    for (ChildJvm child : children) {
      System.out.println("---- last lines of " + child.log() + ", stack frames left out ----");
      System.out.println(
          String.join(
              "\n",
              lastLines(child.logText().lines().filter(line -> !isFrame(line)), LOG_TAIL_LINES)));
    }
  }

  private synchronized void killAll() {
    for (ChildJvm child : children) {
      if (child.process().isAlive()) {
        leftovers.addAll(child.process().descendants().toList());
        child.process().destroyForcibly();
        awaitExit(child);
      }
    }
    leftovers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static boolean isFrame(String line) {
    return line.startsWith("\tat ") || line.startsWith("\t... ");
  }

  private static List<String> lastLines(Stream<String> lines, int count) {
    List<String> all = lines.toList();
    return all.subList(Math.max(0, all.size() - count), all.size());
  }

  private ChildJvm start(String name, List<String> args, String readyLine) {
    Path log = logDir.resolve(String.format("%02d-%s.log", children.size() + 1, name));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    // The test classpath holds logback-test.xml (warnings only); the server's own config logs
    // what the fault sequence needs (execution started, finished, lost, callback results).
    URL logback = ChildJvms.class.getResource("/logback.xml");
    if (logback != null) {
      command.add("-Dlogback.configurationFile=" + logback);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.baton.cli.BatonCli"));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Only the flags configure the child: BATON_* variables of the build must not leak in.
    builder.environment().keySet().removeIf(variable -> variable.startsWith("BATON_"));
    try {
      ChildJvm child = new ChildJvm(name, builder.start(), log, readyLine);
      children.add(child);
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  private static void awaitExit(ChildJvm child) {
    try {
      if (!child.process().waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError(child.name() + " did not exit within 10 s of SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + child.name() + " to exit", e);
    }
  }

  /** One child JVM, the file its output goes to, and the line it prints once it serves. */
  record ChildJvm(String name, Process process, Path log, String readyLine) {

    String logText() {
      try {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String logTail(int lines) {
      return String.join("\n", lastLines(logText().lines(), lines));
    }
  }
}
