package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Times {@code baton exec get ID} as a user runs it: through the {@code ./baton} launcher (with the
 * JVM flags and class-data archive it uses for client commands), a new JVM per call.
 */
final class CliRoundTrip {

  private CliRoundTrip() {}

  /**
   * The median of {@code runs} runs after one unmeasured run (which builds the CLI or its
   * class-data archive if missing), or empty when the launcher or the CLI jar is missing.
   */
  static Optional<Long> measure(Path root, BenchEnvironment env, int runs)
      throws IOException, InterruptedException {
    String id = env.createExecution();
    return LauncherTimings.median(
        root,
        runs,
        (launcher, run) -> {
          long start = System.nanoTime();
          Process process =
              new ProcessBuilder(
                      launcher.toString(),
                      "exec",
                      "get",
                      id,
                      "--address",
                      "127.0.0.1:" + env.server.port())
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start();
          return process.waitFor() == 0
              ? Optional.of((System.nanoTime() - start) / 1_000_000)
              : Optional.empty();
        });
  }
}
