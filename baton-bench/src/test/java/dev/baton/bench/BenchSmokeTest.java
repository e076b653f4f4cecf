package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every scenario with tiny counts; checks the report, never the timings. */
class BenchSmokeTest {

  @Test
  void smokeRunWritesAReportWithEveryScenario(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench.md");

    Path written = BenchMain.run("--smoke", "--out", out.toString());

    String report = Files.readString(written);
    assertThat(report).contains("mode **smoke**", "Load average");
    for (CallMode mode : CallMode.values()) {
      assertThat(report)
          .contains(
              "| " + BenchMain.SEQUENTIAL + " | " + mode.label() + " |",
              "| " + BenchMain.CONCURRENT + " (3 callers) | " + mode.label() + " |");
    }
    for (CallMode mode : java.util.List.of(CallMode.BATON, CallMode.RAW_ASYNC)) {
      for (String engine : java.util.List.of("", BenchMain.STANDALONE)) {
        assertThat(report)
            .contains(
                "| "
                    + BenchMain.IN_FLIGHT
                    + engine
                    + " (3 callers, first calls at random within 200 ms) | "
                    + mode.label()
                    + " |");
      }
      assertThat(report)
          .contains(
              "| " + BenchMain.SEQUENTIAL + BenchMain.STANDALONE + " | " + mode.label() + " |",
              "| "
                  + BenchMain.BURST
                  + BenchMain.STANDALONE
                  + " (5 started at once) | "
                  + mode.label()
                  + " |");
    }
    assertThat(report)
        .contains(
            "| " + BenchMain.BURST + " (5 started at once) | " + CallMode.BATON.label() + " |",
            "| " + BenchMain.BURST + " (5 started at once) | " + CallMode.RAW_ASYNC.label() + " |",
            "## Pending calls through a 10-slot caller worker",
            "| 20 | 20 |",
            "## Long agents through the 10-slot caller worker",
            "## Targets of issue 7",
            "## Warm-up and the JIT",
            "## Store writes (SQLite)",
            "| 1 | 40 |",
            "| 8 | 40 |",
            "overhead p50 <= 5 ms, " + BenchMain.IN_FLIGHT + " |",
            "overhead p99 <= 50 ms, " + BenchMain.IN_FLIGHT + BenchMain.STANDALONE + " |");
    // Warm-up of each engine: one round of calls (1 caller x 1 call of each mode), then 2
    // sequential calls of each: 6 calls; then one round of bursts before the measured bursts.
    for (String engine : java.util.List.of("embedded", BenchMain.STANDALONE_ENGINE)) {
      assertThat(report)
          .containsPattern(
              "\\| "
                  + java.util.regex.Pattern.quote(engine)
                  + " \\| 1 \\| 6 \\| \\d+ \\| [^|]+ \\| 1 \\| [^|]+ \\| [^|]+ \\|");
    }
    assertThat(report).doesNotContain("overhead p50 <= 5 ms, " + BenchMain.CONCURRENT + " |");
    assertThat(report.lines().filter(l -> l.endsWith("| PASS |") || l.endsWith("| MISS |")))
        .hasSizeGreaterThanOrEqualTo(17);
  }
}
