package dev.baton.agent.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Linux sessions, read from {@code /proc}: Java can neither create a session nor signal a process
 * group, so agents are started through {@code setsid} and their session is found by scanning.
 */
final class Sessions {
  private static final Path PROC = Path.of("/proc");

  private Sessions() {}

  /** Whether agents can be started in their own session and their session members found. */
  static boolean available() {
    return Files.isReadable(PROC.resolve("self/stat")) && setsid().isPresent();
  }

  /** The {@code setsid} program, if installed. */
  static Optional<Path> setsid() {
    return Stream.of("/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid")
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The live processes whose session id is {@code sessionId}, zombies excluded. */
  static List<ProcessHandle> members(long sessionId) {
    return ProcessHandle.allProcesses()
        .filter(p -> session(p.pid()).orElse(-1) == sessionId)
        .toList();
  }

  /**
   * Whether the process is gone or a zombie. A zombie has exited but is listed until its parent
   * reaps it, which an init that does not reap never does.
   */
  static boolean isGone(ProcessHandle process) {
    if (!process.isAlive()) {
      return true;
    }
    Optional<String[]> stat = stat(process.pid());
    return stat.isPresent() && "Z".equals(stat.get()[0]);
  }

  private static OptionalLong session(long pid) {
    Optional<String[]> stat = stat(pid);
    if (stat.isEmpty() || stat.get().length < 4 || "Z".equals(stat.get()[0])) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(stat.get()[3]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The fields of {@code /proc/PID/stat} after the command name: state, ppid, pgrp, session... */
  private static Optional<String[]> stat(long pid) {
    try {
      String line = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8);
      // The command name is in parentheses and may itself hold spaces and parentheses.
      int end = line.lastIndexOf(')');
      return end < 0 ? Optional.empty() : Optional.of(line.substring(end + 2).split(" "));
    } catch (IOException | RuntimeException e) {
      // The process ended between listing and reading, or this is not Linux.
      return Optional.empty();
    }
  }
}
