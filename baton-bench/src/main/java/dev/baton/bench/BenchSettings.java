package dev.baton.bench;

/**
 * Counts for one benchmark mode. The full mode has the counts of issue 7; quick and smoke shrink
 * them, and say so in the report. Before the latency scenarios of each engine, Baton and baseline
 * (a) are warmed up in rounds of {@code warmupCallers} x {@code warmupCallsPerCaller} concurrent
 * calls each, until the JIT compiler threads took at most {@code warmupCompilerPercent} of the CPU
 * of a round, or for {@code warmupMaxRounds} rounds (so that the scenarios measure a server whose
 * hot paths are compiled, as one that has been running), and then with {@code warmup} sequential
 * calls each; the bursts of {@code burst} calls are warmed up by the same rule right before them
 * ({@link WarmUp#bursts}). With {@code concurrentCallers} callers, the agents-in-flight scenario
 * makes {@code inFlightCallsPerCaller} calls per caller of agents that take {@code
 * inFlightAgentMillis}, each caller's first at random within that time. Baton and baseline (a)
 * alternate in rounds, each after {@code roundPauseMillis} for the previous round's leftover work
 * (a full run's 100 callers leave more than a quick run's 20). The server's start and the CLI's
 * round trip through the launcher are the median of {@code launcherRuns} runs. {@code eagerStart}
 * is the servers' {@code --eager-start}: the server's default unless {@code --eager-start} or
 * {@code --no-eager-start} is given. The store's write path alone is measured with {@code
 * storeCalls} calls per number of writers ({@link StoreWrites}).
 */
public record BenchSettings(
    String name,
    int warmupCallers,
    int warmupCallsPerCaller,
    int warmupMaxRounds,
    double warmupCompilerPercent,
    int warmup,
    int sequentialCalls,
    int pollingSequentialCalls,
    int concurrentCallers,
    int callsPerCaller,
    long inFlightAgentMillis,
    int inFlightCallsPerCaller,
    int burst,
    int pending,
    long longAgentMillis,
    int longCalls,
    int blockingCalls,
    long roundPauseMillis,
    int launcherRuns,
    int storeCalls,
    boolean eagerStart) {

  private static final boolean EAGER = dev.baton.server.ServerConfig.DEFAULT_EAGER_START;

  /** These counts with the servers' eager start on or off. */
  public BenchSettings withEagerStart(boolean on) {
    return new BenchSettings(
        name,
        warmupCallers,
        warmupCallsPerCaller,
        warmupMaxRounds,
        warmupCompilerPercent,
        warmup,
        sequentialCalls,
        pollingSequentialCalls,
        concurrentCallers,
        callsPerCaller,
        inFlightAgentMillis,
        inFlightCallsPerCaller,
        burst,
        pending,
        longAgentMillis,
        longCalls,
        blockingCalls,
        roundPauseMillis,
        launcherRuns,
        storeCalls,
        on);
  }

  /** The counts (10-20 min on a 2-core machine). */
  public static BenchSettings full() {
    return new BenchSettings(
        "full", 100, 10, 30, 5.0, 50, 200, 10, 100, 10, 1000, 10, 500, 10_000, 10_000, 1000, 100,
        1000, 3, 6000, EAGER);
  }

  /**
   * Under 2 minutes: small counts, 1-s agents instead of 10-s ones. The pending calls drain through
   * the 10 caller slots at about 20 a second, so their count sets most of the time.
   */
  public static BenchSettings quick() {
    return new BenchSettings(
        "quick", 10, 5, 1, 5.0, 20, 30, 3, 20, 4, 1000, 4, 100, 200, 1000, 50, 50, 250, 1, 2000,
        EAGER);
  }

  /** Seconds: proves every scenario runs end to end (CI), no meaningful numbers. */
  public static BenchSettings smoke() {
    return new BenchSettings(
        "smoke", 1, 1, 1, 5.0, 2, 3, 1, 3, 2, 200, 2, 5, 20, 1000, 12, 12, 0, 1, 40, EAGER);
  }
}
