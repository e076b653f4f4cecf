package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Times commands as a user runs them, through the checkout's {@code ./baton} launcher: one
 * unmeasured run first (it may build the CLI or a class-data archive), then the median of the
 * settings' {@code launcherRuns} (three in a full run).
 */
final class LauncherTimings {
  private LauncherTimings() {}

  /** One run of the command: its time in ms, or empty when it failed. */
  @FunctionalInterface
  interface TimedRun {
    /**
     * @param launcher the {@code ./baton} launcher
     * @param run 0 for the unmeasured first run, then 1 to the number of measured runs
     */
    Optional<Long> run(Path launcher, int run) throws IOException, InterruptedException;
  }

  /**
   * The median of {@code runs} runs after an unmeasured one; empty when the launcher or the CLI jar
   * is missing or any run fails.
   */
  static Optional<Long> median(Path root, int runs, TimedRun timed)
      throws IOException, InterruptedException {
    Path launcher = root.resolve("baton");
    if (!Files.isExecutable(launcher)
        || !Files.isRegularFile(root.resolve("baton-cli/target/baton-cli.jar"))) {
      return Optional.empty();
    }
    List<Long> times = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      Optional<Long> millis = timed.run(launcher, i);
      if (millis.isEmpty()) {
        return Optional.empty();
      }
      if (i > 0) {
        times.add(millis.get());
      }
    }
    return Optional.of(Stats.of(times).p50());
  }
}
