package dev.baton.agent.command;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.RunContext;
import dev.baton.agent.Secrets;
import dev.baton.execution.ExecutionError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an agent as a local program (runner type {@code command}).
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code command} (required): the program and its arguments as a list. It is started
 *       directly, never through a shell, so the message is never interpolated into a command line.
 *       A program path with a slash resolves against the agent file's directory; a bare name is
 *       looked up on {@code PATH}.
 *   <li>{@code workingDirectory}: where it runs (relative to the agent file); default: a fresh
 *       temporary directory per execution, readable only by the server's user.
 *   <li>{@code env}: the process's variables besides PATH, HOME, LANG, TZ and Baton's own; the
 *       server's other variables are not passed on; {@code BATON_*} are reserved. A value may
 *       reference secrets as {@code ${secret:NAME}}, resolved by {@link Secrets} only when the
 *       agent runs and passed to nothing but the process.
 *   <li>{@code keepWorkingDirectory}: keep the fresh temporary directory an agent without {@code
 *       workingDirectory} runs in (removed after the run by default).
 * </ul>
 *
 * <p>The process gets the message on stdin (written by its own thread, then closed, so a program
 * that never reads stdin does not stall the run) and, when it is at most 64 KiB, also as {@code
 * BATON_MESSAGE}; plus {@code BATON_EXECUTION_ID} and {@code BATON_AGENT}. Its stdout, decoded as
 * UTF-8 with trailing whitespace trimmed, is the output; more than 16 MiB of it fails the run. Exit
 * code 0 succeeds; any other fails with {@code AgentFailed} and the last 4 KiB of stderr. A program
 * that cannot be found or started fails with {@code AgentNotRunnable}. While it runs, the runner
 * heartbeats every 250 ms with the last stderr line (or the output size) as progress.
 *
 * <p>Stopping (deadline passed: {@code AgentTimeout}; heartbeat reported cancellation or the thread
 * was interrupted: {@link AgentCancelledException}) sends SIGTERM to the process and all its
 * descendants, waits a grace period (2 s) and sends SIGKILL to what is left. On Linux with {@code
 * setsid} installed, each agent starts in a session of its own, and every process of that session
 * is stopped, including descendants re-parented after their parent exited; processes that call
 * {@code setsid} themselves (daemons) escape, as they do from any terminal. Elsewhere descendants
 * are found with {@link ProcessHandle#descendants()} at each poll. A new session also means Ctrl-C
 * in the server's terminal does not reach agents: the server stops them through {@link #close()}.
 * Whatever the outcome, no process or thread of a run outlives {@link #run}, and processes the
 * agent left in the background after a successful exit are stopped too.
 */
public final class CommandRunner implements AgentRunner, AutoCloseable {
  /** The runner type agent definitions name. */
  public static final String TYPE = "command";

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final CommandRunnerOptions options;
  private final Secrets secrets;
  private final SessionLedger ledger;
  private final Set<ProcessTree> running = ConcurrentHashMap.newKeySet();

  public CommandRunner() {
    this(CommandRunnerOptions.defaults());
  }

  public CommandRunner(CommandRunnerOptions options) {
    this(options, Secrets.fromEnvironment());
  }

  /**
   * @param secrets what {@code ${secret:NAME}} references in {@code env} values resolve against
   *     when an agent runs
   */
  public CommandRunner(CommandRunnerOptions options, Secrets secrets) {
    this(options, secrets, SessionLedger.NONE);
  }

  /**
   * @param ledger notes every agent while it runs, for {@link SessionLedger#stopOrphans} of the
   *     next server should this one be killed
   */
  public CommandRunner(CommandRunnerOptions options, Secrets secrets, SessionLedger ledger) {
    this.options = Objects.requireNonNull(options, "options");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    if (options.newSession() && Sessions.setsid().isEmpty()) {
      throw new IllegalArgumentException("newSession needs the setsid program, which is missing");
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Checks the settings' shape and, for a program given as a path, that it exists and is
   * executable. A program found on {@code PATH} is only looked up when it runs.
   */
  @Override
  public void validate(AgentDefinition agent) {
    CommandSettings settings = CommandSettings.of(agent);
    Path directory = settings.workingDirectory();
    if (directory != null && !Files.isDirectory(directory)) {
      // As a program path is: found missing when agents load, not at the first run.
      throw new IllegalArgumentException(
          "settings.workingDirectory: " + directory + " does not exist or is not a directory");
    }
    if (settings.command().get(0).indexOf('/') >= 0) {
      StringBuilder why = new StringBuilder();
      if (settings.program(null, why).isEmpty()) {
        throw new IllegalArgumentException("settings.command: " + why);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws AgentFailedException of type {@code AgentFailed} (non-zero exit, output too large),
   *     {@code AgentTimeout} (past {@link RunContext#deadline()}) or {@code AgentNotRunnable}
   * @throws AgentCancelledException when the heartbeat reported cancellation or the thread was
   *     interrupted (its interrupt status is then set again)
   */
  @Override
  public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
    CommandSettings settings;
    try {
      settings = CommandSettings.of(agent);
    } catch (IllegalArgumentException e) {
      throw new AgentFailedException(
          ExecutionError.AGENT_NOT_RUNNABLE, "agent '" + agent.name() + "': " + e.getMessage());
    }
    Map<String, String> env = new LinkedHashMap<>();
    try {
      settings.env().forEach((name, value) -> env.put(name, secrets.resolve(value)));
    } catch (IllegalArgumentException e) {
      throw new AgentFailedException(
          ExecutionError.AGENT_NOT_RUNNABLE,
          "agent '" + agent.name() + "': settings.env: " + e.getMessage());
    }
    return new CommandRun(agent, invocation, context, settings, env, options)
        .run(
            tree -> {
              running.add(tree);
              ledger.started(tree.root(), invocation.executionId());
            },
            tree -> {
              running.remove(tree);
              ledger.ended(tree.root());
            });
  }

  /** Stops every agent still running, e.g. when the server shuts down. */
  @Override
  public void close() {
    List<ProcessTree> trees = List.copyOf(running);
    if (!trees.isEmpty()) {
      log.info("Stopping {} running command agent(s)", trees.size());
    }
    trees.parallelStream().forEach(tree -> tree.kill(options.killGrace()));
  }
}
