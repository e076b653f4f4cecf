package dev.baton.caller;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What test agents leave behind: the pids they write to a file and the lines they append to a run
 * log, read from the test.
 */
final class AgentProcesses {
  /** Writes the shell's pid and its child's to the file named by the message, then waits. */
  static final String PID_SCRIPT = "sleep 120 & echo \"$$ $!\" > \"$BATON_MESSAGE\"; wait";

  private AgentProcesses() {}

  /** Waits until the agent has written both pids to {@code file}. */
  static List<Long> awaitPids(Path file, Duration atMost) {
    return await().atMost(atMost).until(() -> pids(file), pids -> pids.size() == 2);
  }

  /**
   * Whether the process has ended: not listed, or a zombie (it exited and only waits to be reaped,
   * which a container's init may never do).
   */
  static boolean isGone(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  static boolean allGone(List<Long> pids) {
    return pids.stream().allMatch(AgentProcesses::isGone);
  }

  /** The lines of a run log an agent appends to; none when it does not exist yet. */
  static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Long> pids(Path file) {
    String text = String.join(" ", lines(file)).strip();
    if (!text.matches("\\d+ \\d+")) {
      return List.of();
    }
    return Arrays.stream(text.split(" ")).map(Long::valueOf).toList();
  }
}
