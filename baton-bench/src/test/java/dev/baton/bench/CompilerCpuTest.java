package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerCpuTest {

  /** A {@code stat} line as Linux writes it, with utime and stime in clock ticks. */
  private static String stat(long pid, String comm, long utime, long stime) {
    return pid
        + " ("
        + comm
        + ") S 1 2 3 0 -1 4194560 100 0 0 0 "
        + utime
        + " "
        + stime
        + " 0 0 20 0 30 0 12345 1000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1"
        + " 0 0 0 0 0\n";
  }

  private static void write(Path proc, long pid, long tid, String comm, long utime, long stime)
      throws Exception {
    Path task = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
    Files.writeString(task.resolve("stat"), stat(tid, comm, utime, stime));
  }

  @Test
  void sumsTheCompilerThreadsOfEachProcessAndTheProcessesThemselves(@TempDir Path proc)
      throws Exception {
    Files.createDirectories(proc.resolve("42"));
    Files.writeString(proc.resolve("42/stat"), stat(42, "java", 300, 100));
    write(proc, 42, 42, "java", 1, 1);
    write(proc, 42, 43, "C2 CompilerThre", 50, 10);
    write(proc, 42, 44, "C1 CompilerThre", 20, 0);
    write(proc, 42, 45, "odd ) name (", 70, 0);
    Files.createDirectories(proc.resolve("7"));
    Files.writeString(proc.resolve("7/stat"), stat(7, "java", 100, 0));
    write(proc, 7, 8, "C2 CompilerThre", 5, 5);

    CompilerCpu.Sample sample = CompilerCpu.of(proc, List.of(42L, 7L)).orElseThrow();

    // Ticks are 10 ms: (300 + 100) + 100 process ticks, (60 + 20) + 10 compiler ticks.
    assertThat(sample).isEqualTo(new CompilerCpu.Sample(5000, 900));
  }

  @Test
  void readsNamesThatHoldSpacesAndParentheses() {
    String line = stat(45, "odd ) name (", 70, 3);

    assertThat(CompilerCpu.comm(line)).isEqualTo("odd ) name (");
    assertThat(CompilerCpu.ticks(line)).isEqualTo(73);
  }

  @Test
  void aProcessThatIsGoneGivesNoSample(@TempDir Path proc) {
    assertThat(CompilerCpu.of(proc, List.of(99L))).isEmpty();
  }

  @Test
  void theCompilersShareIsOfTheCpuUsedBetweenTwoSamples() {
    CompilerCpu.Sample before = new CompilerCpu.Sample(1000, 400);
    CompilerCpu.Sample after = new CompilerCpu.Sample(3000, 500);

    assertThat(after.compilerPercentSince(before)).isEqualTo(5.0);
    assertThat(before.compilerPercentSince(before)).isZero();
  }

  @Test
  void readsThisJvmsCompilerThreads() {
    CompilerCpu.Sample sample =
        CompilerCpu.of(List.of(ProcessHandle.current().pid())).orElseThrow();

    // A JVM that has started JUnit has compiled code, and its compilers are part of it.
    assertThat(sample.compilerMillis()).isPositive();
    assertThat(sample.processMillis()).isGreaterThan(sample.compilerMillis());
  }

  @Test
  void aShareCountsTheSpansBetweenResumeAndPauseAndLeavesOutTheGapsBetween() {
    java.util.Iterator<java.util.Optional<CompilerCpu.Sample>> samples =
        List.of(
                new CompilerCpu.Sample(0, 0),
                new CompilerCpu.Sample(1000, 20), // measured: 20 of 1000
                new CompilerCpu.Sample(5000, 3000), // left out: 2980 of 4000
                new CompilerCpu.Sample(6000, 3060)) // measured: 60 of 1000
            .stream()
            .map(java.util.Optional::of)
            .iterator();
    CompilerCpu.Share share = new CompilerCpu.Share(samples::next);

    share.resume();
    share.pause();
    share.resume();
    share.pause();

    assertThat(share.percent()).hasValue(4.0);
  }

  @Test
  void aShareIsUnknownWhenASampleCannotBeRead() {
    CompilerCpu.Share share = new CompilerCpu.Share(java.util.Optional::empty);

    share.resume();
    share.pause();

    assertThat(share.percent()).isEmpty();
  }
}
