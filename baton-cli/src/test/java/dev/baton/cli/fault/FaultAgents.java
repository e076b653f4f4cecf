package dev.baton.cli.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command agents for the fault tests. Each run appends {@code start PID} to a runs file when it
 * begins and {@code done PID} when its work is over, so a test counts runs across processes.
 */
final class FaultAgents {
  private FaultAgents() {}

  /**
   * Writes an agent that records its run in {@code runsFile}, sleeps {@code seconds} and answers
   * with its message.
   */
  static void counted(Path agentsDir, String name, Path runsFile, int seconds) {
    write(
        agentsDir,
        name,
        "echo \"start $$\" >> \"$RUNS_FILE\"; sleep "
            + seconds
            + "; echo \"done $$\" >> \"$RUNS_FILE\"; cat",
        "60s",
        runsFile);
  }

  /** Writes an agent that sleeps for ten minutes with a one hour deadline. */
  static void endless(Path agentsDir, String name, Path runsFile) {
    write(agentsDir, name, "echo \"start $$\" >> \"$RUNS_FILE\"; sleep 600; cat", "1h", runsFile);
  }

  /**
   * The lines of {@code runsFile} that begin with {@code event} ({@code start} or {@code done}).
   */
  static long count(Path runsFile, String event) {
    try {
      if (!Files.exists(runsFile)) {
        return 0;
      }
      List<String> lines = Files.readAllLines(runsFile);
      return lines.stream().filter(line -> line.startsWith(event + " ")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(
      Path agentsDir, String name, String script, String timeout, Path runsFile) {
    try {
      Files.createDirectories(agentsDir);
      Files.writeString(
          agentsDir.resolve(name + ".yaml"),
          "name: "
              + name
              + "\nrunner: command\ntimeout: "
              + timeout
              + "\nsettings:\n  command: [\"sh\", \"-c\", '"
              + script.replace("'", "''")
              + "']\n  env:\n    RUNS_FILE: '"
              + runsFile.toAbsolutePath().toString().replace("'", "''")
              + "'\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
