package dev.baton.bench;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * Warms an engine up for Baton and baseline (a) alike, until the JIT has compiled their hot paths.
 *
 * <p>The JIT of these JVMs (Temporal's SDK and test server, gRPC, Netty, protobuf and Baton: tens
 * of thousands of methods) keeps compiling for minutes under load, and took a third of the machine
 * after a few thousand calls (docs/performance.md, tenth round). A run measured before that
 * measures the compiler, and Baton, with more code on a call's path, more than baseline (a). So the
 * warm-up runs rounds of concurrent calls, each mode in turn, until the compiler threads of the
 * engine's JVMs took at most {@link BenchSettings#warmupCompilerPercent()} of their CPU in a round,
 * or for {@link BenchSettings#warmupMaxRounds()} rounds; then the sequential warm-up calls. The
 * bursts have their own warm-up right before them ({@link #bursts}).
 */
final class WarmUp {
  /** At most this many rounds of bursts, and no more than the warm-up's rounds of calls. */
  static final int MAX_BURST_ROUNDS = 5;

  /**
   * Rounds of one unreported burst of each mode, by the warm-up's rule, for at most {@link
   * #MAX_BURST_ROUNDS}: a burst reaches code that the rounds of calls do not, and the JIT of these
   * JVMs recompiles much of what the scenarios before it compiled (docs/performance.md, eighteenth
   * round), so the bursts are warmed up right before they are measured.
   */
  static Rounds bursts(
      BenchSettings settings, Runnable round, Supplier<Optional<CompilerCpu.Sample>> cpu) {
    return untilCompiled(maxBurstRounds(settings), settings.warmupCompilerPercent(), round, cpu);
  }

  /** How many rounds of bursts {@link #bursts} runs at most with {@code settings}. */
  static int maxBurstRounds(BenchSettings settings) {
    return Math.min(settings.warmupMaxRounds(), MAX_BURST_ROUNDS);
  }

  /**
   * What one engine's warm-up took, and the compilers' share of the CPU in its last round and in
   * the scenarios measured after it (empty where {@code /proc} cannot tell).
   */
  record Result(
      String engine,
      Rounds rounds,
      Rounds burstRounds,
      int calls,
      long millis,
      OptionalDouble measuredCompilerPercent) {

    Result measured(Rounds bursts, OptionalDouble compilerPercent) {
      return new Result(engine, rounds, bursts, calls, millis, compilerPercent);
    }
  }

  private WarmUp() {}

  /**
   * @param pids the processes whose compilers count: this JVM, and a standalone Temporal's
   */
  static Result run(
      String engine,
      Scenarios scenarios,
      List<BenchCall> modes,
      BenchSettings settings,
      List<Long> pids) {
    long start = System.nanoTime();
    int perRound = modes.size() * settings.warmupCallers() * settings.warmupCallsPerCaller();
    Rounds rounds =
        untilCompiled(
            settings.warmupMaxRounds(),
            settings.warmupCompilerPercent(),
            () -> {
              for (BenchCall call : modes) {
                scenarios.concurrent(
                    "warm-up", call, settings.warmupCallers(), settings.warmupCallsPerCaller());
              }
            },
            () -> CompilerCpu.of(pids));
    for (BenchCall call : modes) {
      scenarios.sequential("warm-up", call, settings.warmup());
    }
    return new Result(
        engine,
        rounds,
        new Rounds(0, OptionalDouble.empty()),
        rounds.count() * perRound + modes.size() * settings.warmup(),
        (System.nanoTime() - start) / 1_000_000,
        OptionalDouble.empty());
  }

  /** How many rounds ran, and the compilers' share of the CPU in the last one. */
  record Rounds(int count, OptionalDouble lastCompilerPercent) {}

  /**
   * Runs {@code round} until the compilers took at most {@code compilerPercent} of the CPU of one,
   * or {@code maxRounds} times; as often as that when {@code cpu} cannot tell.
   */
  static Rounds untilCompiled(
      int maxRounds,
      double compilerPercent,
      Runnable round,
      Supplier<Optional<CompilerCpu.Sample>> cpu) {
    int count = 0;
    OptionalDouble last = OptionalDouble.empty();
    while (count < maxRounds) {
      Optional<CompilerCpu.Sample> before = cpu.get();
      round.run();
      count++;
      last = CompilerCpu.percentBetween(before, cpu.get());
      if (last.isPresent() && last.getAsDouble() <= compilerPercent) {
        break;
      }
    }
    return new Rounds(count, last);
  }
}
