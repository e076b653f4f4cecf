package dev.baton.agent.command;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.Durations;
import dev.baton.agent.RunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of a command agent: the process, its three stream threads and the watch loop. */
final class CommandRun {
  private static final Logger log = LoggerFactory.getLogger(CommandRun.class);
  private static final Duration THREAD_JOIN = Duration.ofSeconds(5);
  private static final String SETSID_EXEC_FAILED = "setsid: failed to execute";

  /** The only variables of the server's environment an agent gets, besides its declared ones. */
  static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "TZ");

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private final AgentDefinition agent;
  private final AgentInvocation invocation;
  private final RunContext context;
  private final CommandSettings settings;
  private final Map<String, String> env;
  private final CommandRunnerOptions options;
  private final List<Thread> threads = new ArrayList<>();
  private ProcessTree tree;
  private boolean stopped;
  private Path temporaryDirectory;

  CommandRun(
      AgentDefinition agent,
      AgentInvocation invocation,
      RunContext context,
      CommandSettings settings,
      Map<String, String> env,
      CommandRunnerOptions options) {
    this.agent = agent;
    this.invocation = invocation;
    this.context = context;
    this.settings = settings;
    this.env = env;
    this.options = options;
  }

  /**
   * Runs the process to its end. Every process and thread of the run is gone when this returns or
   * throws. {@code onStart} and {@code onEnd} let the runner stop live runs at shutdown.
   */
  AgentOutput run(Consumer<ProcessTree> onStart, Consumer<ProcessTree> onEnd) {
    try {
      return runIn(onStart, onEnd);
    } finally {
      removeTemporaryDirectory();
    }
  }

  private AgentOutput runIn(Consumer<ProcessTree> onStart, Consumer<ProcessTree> onEnd) {
    ProcessBuilder builder = processBuilder();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw notRunnable("could not be started: " + e.getMessage());
    }
    tree = new ProcessTree(process.toHandle(), options.newSession());
    onStart.accept(tree);
    log.debug(
        "Started agent '{}' (pid {}) for execution {}",
        agent.name(),
        process.pid(),
        invocation.executionId());
    OutputCapture stdout = new OutputCapture(process.getInputStream(), options.maxOutputBytes());
    TailCapture stderr =
        new TailCapture(
            process.getErrorStream(),
            options.stderrTailBytes(),
            line -> context.event(ExecutionEvent.Type.LOG_LINE, line));
    start("stdin", () -> writeMessage(process.getOutputStream()));
    start("stdout", stdout);
    start("stderr", stderr);
    boolean interrupted = false;
    try {
      watch(process, stdout, stderr);
      stop();
      return result(process.exitValue(), stdout, stderr);
    } catch (InterruptedException e) {
      interrupted = true;
      throw new AgentCancelledException(
          "agent '" + agent.name() + "' was stopped: the worker thread was interrupted", e);
    } finally {
      stop();
      onEnd.accept(tree);
      if (interrupted) {
        // Restored only now: stopping the tree waits, and waiting ends at once when interrupted.
        Thread.currentThread().interrupt();
      }
    }
  }

  private ProcessBuilder processBuilder() {
    ProcessBuilder builder = new ProcessBuilder();
    Map<String, String> env = builder.environment();
    // Only what the agent declares: the server's credentials and settings stay with the server.
    env.clear();
    for (String name : INHERITED) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    // Resolved secrets included: they live in the process's environment only.
    env.putAll(this.env);
    env.put("BATON_EXECUTION_ID", String.valueOf(invocation.executionId()));
    env.put("BATON_AGENT", agent.name());
    env.remove("BATON_MESSAGE");
    String message = message();
    // Linux refuses to start a process whose environment holds one string over 128 KiB.
    if (message.getBytes(StandardCharsets.UTF_8).length <= options.maxEnvMessageBytes()
        && message.indexOf('\0') < 0) {
      env.put("BATON_MESSAGE", message);
    }
    StringBuilder why = new StringBuilder();
    Path program = settings.program(env.get("PATH"), why).orElseThrow(() -> notRunnable(why));
    Path directory = settings.workingDirectory();
    if (directory != null) {
      if (!Files.isDirectory(directory)) {
        throw notRunnable("working directory " + directory + " does not exist");
      }
    } else {
      directory = createTemporaryDirectory();
    }
    builder.directory(directory.toFile());
    List<String> command = new ArrayList<>();
    if (options.newSession()) {
      // -w keeps the exit code should setsid ever need to fork (it does not when its parent is
      // a JVM, so the agent's pid is also its session id).
      Sessions.setsid().ifPresent(setsid -> command.addAll(List.of(setsid.toString(), "-w")));
    }
    command.add(program.toString());
    command.addAll(settings.command().subList(1, settings.command().size()));
    return builder.command(command);
  }

  private void watch(Process process, OutputCapture stdout, TailCapture stderr)
      throws InterruptedException {
    long pollMillis = options.pollInterval().toMillis();
    while (!process.waitFor(pollMillis, TimeUnit.MILLISECONDS)) {
      if (stdout.overflowed()) {
        throw overflow();
      }
      tree.remember();
      context.heartbeat(progress(stdout, stderr));
      if (!options.clock().instant().isBefore(context.deadline())) {
        Duration timeout = invocation.timeout() != null ? invocation.timeout() : agent.timeout();
        throw new AgentFailedException(
            ExecutionError.AGENT_TIMEOUT,
            "agent '"
                + agent.name()
                + "' ran past its "
                + Durations.format(timeout)
                + " deadline and was stopped");
      }
    }
  }

  private AgentOutput result(int exitCode, OutputCapture stdout, TailCapture stderr) {
    String tail = stderr.tail();
    if (options.newSession() && (exitCode == 126 || exitCode == 127)) {
      if (tail.startsWith(SETSID_EXEC_FAILED)) {
        throw notRunnable("could not be started: " + tail);
      }
    }
    // Checked before the exit code: the agent dies of SIGPIPE once its stdout is no longer read.
    if (stdout.overflowed()) {
      throw overflow();
    }
    if (exitCode != 0) {
      throw new AgentFailedException(
          ExecutionError.AGENT_FAILED,
          "agent '"
              + agent.name()
              + "' exited with code "
              + exitCode
              + (tail.isEmpty() ? " and wrote nothing to stderr" : ": " + tail));
    }
    if (threads.stream().anyMatch(Thread::isAlive)) {
      throw new AgentFailedException(
          ExecutionError.AGENT_FAILED,
          "agent '"
              + agent.name()
              + "' exited but its output stayed open: a process it started in the background"
              + " still holds it");
    }
    // Trailing whitespace is trimmed: nearly every program ends its output with a newline that
    // is no part of the answer.
    return AgentOutput.text(stdout.text().stripTrailing());
  }

  /** Stops whatever is left of the tree and waits for the stream threads. Idempotent. */
  private void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    tree.kill(options.killGrace());
    for (Thread thread : threads) {
      try {
        thread.join(THREAD_JOIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        log.warn(
            "Thread {} of agent '{}' did not end: a process outside its session holds its stream",
            thread.getName(),
            agent.name());
      }
    }
  }

  private Path createTemporaryDirectory() {
    try {
      temporaryDirectory = Files.createTempDirectory("baton-run-", OWNER_ONLY).toRealPath();
      return temporaryDirectory;
    } catch (IOException e) {
      throw notRunnable("could not create a working directory: " + e.getMessage());
    }
  }

  private void removeTemporaryDirectory() {
    if (temporaryDirectory == null) {
      return;
    }
    if (settings.keepWorkingDirectory()) {
      log.info(
          "Kept working directory {} of agent '{}' for execution {}",
          temporaryDirectory,
          agent.name(),
          invocation.executionId());
      return;
    }
    try (Stream<Path> paths = Files.walk(temporaryDirectory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn(
          "Could not remove working directory {} of agent '{}': {}",
          temporaryDirectory,
          agent.name(),
          e.getMessage());
    }
  }

  private void writeMessage(OutputStream stdin) {
    try (stdin) {
      stdin.write(message().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The agent exited or closed stdin without reading all of it: its choice, not a failure.
      log.debug("Agent '{}' did not read all of stdin: {}", agent.name(), e.getMessage());
    }
  }

  private void start(String stream, Runnable task) {
    Thread thread = new Thread(task, "baton-agent-" + agent.name() + "-" + stream);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private String progress(OutputCapture stdout, TailCapture stderr) {
    String line = stderr.lastLine();
    return line.isEmpty() ? stdout.size() + " bytes of output so far" : line;
  }

  private String message() {
    return invocation.message() == null ? "" : invocation.message();
  }

  private AgentFailedException overflow() {
    return new AgentFailedException(
        ExecutionError.AGENT_FAILED,
        "agent '"
            + agent.name()
            + "' wrote more than "
            + options.maxOutputBytes()
            + " bytes to stdout and was stopped; write large results to a file and print its"
            + " path instead");
  }

  private AgentFailedException notRunnable(CharSequence why) {
    return new AgentFailedException(
        ExecutionError.AGENT_NOT_RUNNABLE, "agent '" + agent.name() + "': " + why);
  }
}
