package dev.baton.cli.docs;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs documented shell snippets as they are written, with bash and the variables they use. */
final class Bash {
  private static final String REQUIRE_POSTGRES = "BATON_REQUIRE_POSTGRES";

  private Bash() {}

  /**
   * Runs {@code script} with {@code bash -euo pipefail} (an unset variable or a failing command
   * fails it) and {@code variables} in its environment.
   *
   * @return what it printed, stdout and stderr together
   * @throws AssertionError with the script and its output when it fails
   */
  static String run(String script, Map<String, String> variables, Path dir) {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(variables);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("did not finish within 60 s:%n%s%noutput:%n%s", script, output);
      }
      if (process.exitValue() != 0) {
        fail(
            "exited with %d (variables %s):%n%s%noutput:%n%s",
            process.exitValue(), variables, script, output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running:\n" + script, e);
    }
  }

  /**
   * Makes sure the documented {@code tools} are on the PATH. A missing tool fails the test in CI
   * ({@code BATON_REQUIRE_POSTGRES=true}, which {@code .ci/run} sets after installing them) and
   * skips it elsewhere, in both cases saying how to install it.
   */
  static void requireTools(String aptPackage, String... tools) {
    for (String tool : tools) {
      if (!onPath(tool)) {
        String message =
            tool
                + " is not installed, so the runbook's commands that use it cannot run; install it"
                + " (apt-get install -y "
                + aptPackage
                + "; .ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_POSTGRES))) {
          fail(REQUIRE_POSTGRES + "=true but " + message);
        }
        Assumptions.abort(message);
      }
    }
  }

  private static boolean onPath(String tool) {
    try {
      Process process =
          new ProcessBuilder("bash", "-c", "command -v \"$0\"", tool)
              .redirectErrorStream(true)
              .start();
      process.getInputStream().readAllBytes();
      return process.waitFor() == 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
