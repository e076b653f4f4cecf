package dev.baton.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * CPU time of JVM processes and of their JIT compiler threads, read from {@code /proc}: how much of
 * the machine the JIT still takes, so that warm-up can run until it has compiled the hot paths.
 */
final class CompilerCpu {
  /** Linux reports per-thread CPU in clock ticks of USER_HZ, 100 per second on every platform. */
  private static final long MILLIS_PER_TICK = 10;

  /** HotSpot's compiler threads ("C1 CompilerThread0"), as the 15-character comm shows them. */
  private static final String COMPILER_THREAD = "CompilerThre";

  private CompilerCpu() {}

  /** CPU time of some processes, and of their compiler threads, at one moment. */
  record Sample(long processMillis, long compilerMillis) {
    /** The compilers' share of the CPU used between {@code earlier} and this sample, in percent. */
    double compilerPercentSince(Sample earlier) {
      long process = processMillis - earlier.processMillis;
      return process <= 0 ? 0 : 100.0 * (compilerMillis - earlier.compilerMillis) / process;
    }
  }

  /**
   * The compilers' share of the CPU over the spans between each {@link #resume} and the {@link
   * #pause} after it, leaving out what ran between a pause and the next resume.
   */
  static final class Share {
    private final Supplier<Optional<Sample>> cpu;
    private Optional<Sample> from = Optional.empty();
    private long processMillis;
    private long compilerMillis;
    private boolean unknown;

    Share(Supplier<Optional<Sample>> cpu) {
      this.cpu = cpu;
    }

    void resume() {
      from = cpu.get();
      unknown |= from.isEmpty();
    }

    void pause() {
      Optional<Sample> to = cpu.get();
      if (from.isEmpty() || to.isEmpty()) {
        unknown = true;
      } else {
        processMillis += to.get().processMillis() - from.get().processMillis();
        compilerMillis += to.get().compilerMillis() - from.get().compilerMillis();
      }
      from = Optional.empty();
    }

    /** In percent; empty when a sample could not be read. */
    OptionalDouble percent() {
      return unknown
          ? OptionalDouble.empty()
          : OptionalDouble.of(
              new Sample(processMillis, compilerMillis).compilerPercentSince(new Sample(0, 0)));
    }
  }

  /**
   * The compilers' share of the CPU between two samples, in percent; empty when either is (no
   * {@code /proc}).
   */
  static OptionalDouble percentBetween(Optional<Sample> before, Optional<Sample> after) {
    return before.isPresent() && after.isPresent()
        ? OptionalDouble.of(after.get().compilerPercentSince(before.get()))
        : OptionalDouble.empty();
  }

  /** The summed sample of the processes {@code pids}; empty where there is no {@code /proc}. */
  static Optional<Sample> of(Collection<Long> pids) {
    return of(Path.of("/proc"), pids);
  }

  static Optional<Sample> of(Path proc, Collection<Long> pids) {
    long process = 0;
    long compiler = 0;
    try {
      for (long pid : pids) {
        Path dir = proc.resolve(Long.toString(pid));
        process += ticks(Files.readString(dir.resolve("stat")));
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
          for (Path task : tasks) {
            Optional<String> stat = readIfPresent(task.resolve("stat"));
            if (stat.isPresent() && comm(stat.get()).contains(COMPILER_THREAD)) {
              compiler += ticks(stat.get());
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.of(new Sample(process * MILLIS_PER_TICK, compiler * MILLIS_PER_TICK));
  }

  /** The thread or process name of a {@code stat} line: between the first '(' and the last ')'. */
  static String comm(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /** utime + stime of a {@code stat} line (fields 14 and 15; the name may hold spaces). */
  static long ticks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** A thread may end between listing and reading. */
  private static Optional<String> readIfPresent(Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (IOException gone) {
      return Optional.empty();
    }
  }
}
