package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Times {@code baton exec get ID} as a user runs it: through the {@code ./baton} launcher (with the
 * JVM flags and class-data archive it uses for client commands), a new JVM per call.
 */
final class CliRoundTrip {
  private static final int RUNS = 3;

  private CliRoundTrip() {}

  /**
   * The median of three runs after one unmeasured run (which builds the CLI or its class-data
   * archive if missing), or empty when the launcher or the CLI jar is missing.
   */
  static Optional<Long> measure(Path root, BenchEnvironment env)
      throws IOException, InterruptedException {
    Optional<Path> found = launcher(root);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Path launcher = found.get();
    String id = env.createExecution();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i <= RUNS; i++) {
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
      if (process.waitFor() != 0) {
        return Optional.empty();
      }
      if (i > 0) {
        times.add((System.nanoTime() - start) / 1_000_000);
      }
    }
    return Optional.of(Stats.of(times).p50());
  }

  /** The {@code ./baton} launcher of the checkout at {@code root}, if it and the CLI jar exist. */
  static Optional<Path> launcher(Path root) {
    Path launcher = root.resolve("baton");
    return Files.isExecutable(launcher)
            && Files.isRegularFile(root.resolve("baton-cli/target/baton-cli.jar"))
        ? Optional.of(launcher)
        : Optional.empty();
  }
}
