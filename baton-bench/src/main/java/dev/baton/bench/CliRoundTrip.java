package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Times {@code baton exec get ID} as a user runs it: a new JVM from the CLI jar, per call. */
final class CliRoundTrip {
  private static final int RUNS = 3;

  private CliRoundTrip() {}

  /** The median of three runs, or empty when the CLI jar has not been built. */
  static Optional<Long> measure(Path root, BenchEnvironment env)
      throws IOException, InterruptedException {
    Path jar = root.resolve("baton-cli/target/baton-cli.jar");
    if (!Files.isRegularFile(jar)) {
      return Optional.empty();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String id = env.createExecution();
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      Process process =
          new ProcessBuilder(
                  java,
                  "-jar",
                  jar.toString(),
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
      times.add((System.nanoTime() - start) / 1_000_000);
    }
    return Optional.of(Stats.of(times).p50());
  }
}
