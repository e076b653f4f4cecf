package dev.baton.agent.command;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes every command agent this process starts in a directory (one file per agent, named by its
 * pid, removed when the agent ends), so that the next server started on the same home can stop the
 * agents of a server that was killed without stopping them ({@code kill -9}): otherwise they run on
 * beside the agent run again for the same execution.
 *
 * <p>An entry is an orphan when the server process that wrote it is gone (its pid is free, or taken
 * by a process started at another time). Its agent is stopped when it still runs: the same process
 * (pid and start time) or, for an agent in its own session whose leader exited, the rest of that
 * session (a session id stays reserved while any member lives). Entries of live servers sharing the
 * directory are left alone.
 */
public final class SessionLedger {
  private static final Logger log = LoggerFactory.getLogger(SessionLedger.class);

  /** Keeps no entries and finds no orphans. */
  public static final SessionLedger NONE = new SessionLedger(null);

  private final Path directory;

  /** This server process, as entries name it: its pid and start time never change. */
  private final String serverPid;

  private final Optional<Instant> serverStart;

  private SessionLedger(Path directory) {
    this.directory = directory;
    ProcessHandle self = ProcessHandle.current();
    this.serverPid = Long.toString(self.pid());
    this.serverStart = startOf(self);
  }

  /** A ledger in {@code directory}, created when missing. */
  public static SessionLedger in(Path directory) {
    try {
      return new SessionLedger(Files.createDirectories(directory));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the command agent ledger " + directory, e);
    }
  }

  /**
   * Notes a started agent. Failing to write is logged, not thrown: the agent runs either way, only
   * a later sweep could not stop it.
   */
  void started(ProcessHandle agent, String executionId) {
    if (directory == null) {
      return;
    }
    Properties entry = new Properties();
    entry.setProperty("executionId", String.valueOf(executionId));
    entry.setProperty("serverPid", serverPid);
    serverStart.ifPresent(start -> entry.setProperty("serverStart", start.toString()));
    startOf(agent).ifPresent(start -> entry.setProperty("agentStart", start.toString()));
    Path file = entryFile(agent.pid());
    Path written = directory.resolve(agent.pid() + ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
        entry.store(out, null);
      }
      Files.move(
          written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("cannot note command agent pid={} in {}: {}", agent.pid(), directory, e.toString());
    }
  }

  /** Forgets an agent that ended. */
  void ended(ProcessHandle agent) {
    if (directory == null) {
      return;
    }
    try {
      Files.deleteIfExists(entryFile(agent.pid()));
    } catch (IOException e) {
      log.warn("cannot remove the ledger entry of command agent pid={}: {}", agent.pid(), e);
    }
  }

  /**
   * Stops the agents that servers gone since left running, and forgets them.
   *
   * @param grace how long an orphan has between SIGTERM and SIGKILL
   * @return how many orphaned agents were still running and were stopped
   */
  public int stopOrphans(Duration grace) {
    if (directory == null) {
      return 0;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.agent")) {
      files.forEach(entries::add);
    } catch (IOException e) {
      log.warn("cannot read the command agent ledger {}: {}", directory, e.toString());
      return 0;
    }
    int stopped = 0;
    for (Path file : entries) {
      Optional<Entry> entry = read(file);
      if (entry.isPresent() && isAlive(entry.get().serverPid(), entry.get().serverStart())) {
        continue;
      }
      if (entry.isPresent() && stopOrphan(entry.get(), grace)) {
        stopped++;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("cannot remove the ledger entry {}: {}", file, e.toString());
      }
    }
    return stopped;
  }

  /** One agent as its file names it; a start time is empty when it could not be read. */
  private record Entry(
      long agentPid, String agentStart, long serverPid, String serverStart, String executionId) {}

  private static boolean stopOrphan(Entry entry, Duration grace) {
    long pid = entry.agentPid();
    boolean sameProcess = isAlive(pid, entry.agentStart());
    boolean ownSession = Sessions.available();
    if (!sameProcess
        && (!ownSession || ProcessHandle.of(pid).isPresent() || Sessions.members(pid).isEmpty())) {
      // Ended, or the pid now belongs to another process.
      return false;
    }
    log.warn(
        "stopping command agent pid={} of execution={}: the server that started it ended without"
            + " stopping it",
        pid,
        entry.executionId());
    new ProcessTree(pid, ownSession).kill(grace);
    return true;
  }

  /** Whether {@code pid} is a live process started at {@code start}. */
  private static boolean isAlive(long pid, String start) {
    return !start.isEmpty()
        && ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .flatMap(SessionLedger::startOf)
            .map(Instant::toString)
            .filter(start::equals)
            .isPresent();
  }

  private static Optional<Entry> read(Path file) {
    Properties entry = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      entry.load(in);
      return Optional.of(
          new Entry(
              Long.parseLong(file.getFileName().toString().replace(".agent", "")),
              entry.getProperty("agentStart", ""),
              pidOrZero(entry.getProperty("serverPid", "")),
              entry.getProperty("serverStart", ""),
              entry.getProperty("executionId", "-")));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("unreadable ledger entry {}: {}", file, e.toString());
      return Optional.empty();
    }
  }

  /** A server pid that cannot be read names no live process: its agent counts as orphaned. */
  private static long pidOrZero(String pid) {
    try {
      return Long.parseLong(pid);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Path entryFile(long pid) {
    return directory.resolve(pid + ".agent");
  }

  private static Optional<Instant> startOf(ProcessHandle process) {
    return process.info().startInstant();
  }
}
