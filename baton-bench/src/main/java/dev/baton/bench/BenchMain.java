package dev.baton.bench;

import dev.baton.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ./baton bench [--quick | --smoke] [--out FILE]}: runs every scenario of issue 7 against
 * the baselines in one JVM and writes the Markdown report. The full run writes {@code
 * docs/benchmarks.md}; quick and smoke runs write under {@code target/} unless {@code --out} says
 * otherwise.
 */
public final class BenchMain {
  static final String SEQUENTIAL = "1 caller, sequential";
  static final String CONCURRENT = "concurrent callers";

  /**
   * Concurrent callers of agents that take a while, whose calls are in flight together without
   * saturating the engine: where the overhead targets at concurrent callers are measured.
   */
  static final String IN_FLIGHT = "concurrent callers, agents in flight";

  static final String BURST = "burst";

  /**
   * Rounds in which Baton and baseline (a) alternate: the sequential calls split into rounds; each
   * concurrent round makes the settings' full calls per caller, as one round ends with its slowest
   * caller, and shorter rounds would weigh that tail more in a mode's calls/s.
   */
  static final int SEQUENTIAL_ROUNDS = 4;

  static final int CONCURRENT_ROUNDS = 2;

  /** The engine of the scenarios run against the standalone test server. */
  static final String STANDALONE_ENGINE = "standalone test server, TCP";

  /** Suffix of the scenarios run against the standalone test server. */
  static final String STANDALONE = " [" + STANDALONE_ENGINE + "]";

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    try {
      Path out = run(args);
      System.err.println("baton bench: report written to " + out);
    } catch (IllegalArgumentException e) {
      System.err.println("baton bench: " + e.getMessage());
      System.err.println(
          "usage: baton bench [--quick | --smoke] [--[no-]eager-start] [--out FILE]");
      System.exit(2);
    } catch (Exception e) {
      System.err.println("baton bench: the run failed, no report written: " + e);
      e.printStackTrace();
      System.exit(1);
    }
    // Temporal and gRPC leave non-daemon threads behind; the report is written, so leave.
    System.exit(0);
  }

  /** Runs the benchmark and returns the path of the report it wrote. */
  public static Path run(String... args) throws Exception {
    BenchSettings settings = BenchSettings.full();
    Boolean eager = null;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> settings = BenchSettings.quick();
        case "--smoke" -> settings = BenchSettings.smoke();
        case "--eager-start" -> eager = true;
        case "--no-eager-start" -> eager = false;
        case "--out" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--out needs a file name");
          }
          out = Path.of(args[++i]);
        }
        default ->
            throw new IllegalArgumentException(
                "unknown argument '"
                    + args[i]
                    + "'; expected --quick, --smoke, --[no-]eager-start or --out FILE");
      }
    }
    if (eager != null) {
      settings = settings.withEagerStart(eager);
    }
    Path root = Path.of(System.getProperty("baton.root", "."));
    if (out == null) {
      out =
          settings.name().equals("full")
              ? root.resolve("docs/benchmarks.md")
              : root.resolve("target/benchmarks-" + settings.name() + ".md");
    }
    String command = "./baton bench" + (args.length == 0 ? "" : " " + String.join(" ", args));
    BenchResults results = measure(settings, command, root);
    String markdown = Report.render(results);
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, markdown);
    System.out.println(markdown);
    return out;
  }

  static BenchResults measure(BenchSettings settings, String command, Path root) throws Exception {
    Instant startedAt = Instant.now();
    String loadBefore = ProcessFacts.loadAverage();
    long t0 = System.nanoTime();
    Path home = Files.createTempDirectory("baton-bench");
    try {
      List<Measurement> rows = new ArrayList<>();
      Scenarios.PendingResult pending;
      Optional<Long> cli;
      long serverStartMillis;
      // First, on a machine nothing else of the run loads yet: the store alone, then the server's
      // start (which smoke runs, in CI, skip: four server JVMs would only slow the suite down).
      progress("store writes");
      List<StoreWrites.Result> storeWrites =
          StoreWrites.measure(
              Files.createDirectories(home.resolve("store")), settings.storeCalls());
      Optional<Long> serverCommand = Optional.empty();
      if (!settings.name().equals("smoke")) {
        progress("server start");
        serverCommand =
            ServerStart.measure(
                root, Files.createDirectories(home.resolve("starts")), settings.launcherRuns());
      }
      List<String> failures = new ArrayList<>();
      List<WarmUp.Result> warmUps = new ArrayList<>();
      long self = ProcessHandle.current().pid();
      try (BenchEnvironment env =
          new BenchEnvironment(
              home.resolve("embedded"),
              Set.of(settings.inFlightAgentMillis()),
              ServerConfig.DEFAULT_AGENT_SLOTS,
              settings.eagerStart(),
              null)) {
        serverStartMillis = env.serverStartMillis;
        Scenarios scenarios = new Scenarios(env, settings.roundPauseMillis());
        warmUps.add(latencyScenarios(settings, scenarios, "", true, List.of(self), rows));
        progress("CLI round trip");
        cli = CliRoundTrip.measure(root, env, settings.launcherRuns());
        failures.addAll(scenarios.failures());
      }

      // Agents that only wait: one slot each, so all of them run at once (--agent-slots).
      Scenarios.WallResult handshake;
      Scenarios.WallResult blocking;
      try (BenchEnvironment env =
          new BenchEnvironment(
              home.resolve("long"),
              Set.of(settings.longAgentMillis()),
              Math.max(ServerConfig.DEFAULT_AGENT_SLOTS, settings.longCalls()),
              settings.eagerStart(),
              null)) {
        Scenarios scenarios = new Scenarios(env, settings.roundPauseMillis());
        progress("long agents through 10 slots");
        handshake =
            scenarios.wall(call(CallMode.BATON, settings.longAgentMillis()), settings.longCalls());
        blocking =
            scenarios.wall(
                call(CallMode.BLOCKING, settings.longAgentMillis()), settings.blockingCalls());
        failures.addAll(scenarios.failures());
      }

      progress("standalone test server over TCP");
      try (StandaloneTemporal temporal =
              StandaloneTemporal.start(
                  Files.createDirectories(home.resolve("standalone")).resolve("temporal.log"));
          BenchEnvironment env =
              new BenchEnvironment(
                  home.resolve("standalone"),
                  Set.of(settings.inFlightAgentMillis()),
                  ServerConfig.DEFAULT_AGENT_SLOTS,
                  settings.eagerStart(),
                  temporal.target())) {
        Scenarios scenarios = new Scenarios(env, settings.roundPauseMillis());
        warmUps.add(
            latencyScenarios(
                settings, scenarios, STANDALONE, false, List.of(self, temporal.pid()), rows));
        // Here Temporal's histories live in the other JVM, so this JVM's heap is Baton's and the
        // caller worker's: the closest this harness gets to Baton's own heap per pending call.
        progress("pending through 10 slots " + STANDALONE);
        pending = scenarios.pending(settings.pending());
        failures.addAll(scenarios.failures());
      }
      return new BenchResults(
          settings,
          command,
          startedAt,
          loadBefore,
          ProcessFacts.loadAverage(),
          (System.nanoTime() - t0) / 1_000_000_000,
          serverStartMillis,
          serverCommand,
          cli,
          rows,
          warmUps,
          storeWrites,
          pending,
          handshake,
          blocking,
          failures);
    } finally {
      deleteTree(home);
    }
  }

  /**
   * Warm-up, then sequential, concurrent, burst and in-flight calls, Baton beside baseline (a);
   * with {@code allModes} also beside the other baselines. Scenario names get {@code suffix}.
   *
   * @param pids the JVMs of this engine, whose JIT the warm-up waits for
   * @return the warm-up, with the JIT's share of the CPU in Baton's and baseline (a)'s scenarios
   *     after it
   */
  private static WarmUp.Result latencyScenarios(
      BenchSettings settings,
      Scenarios scenarios,
      String suffix,
      boolean allModes,
      List<Long> pids,
      List<Measurement> rows)
      throws Exception {
    BenchCall baton = call(CallMode.BATON, 0);
    BenchCall raw = call(CallMode.RAW_ASYNC, 0);
    List<CallMode> modes =
        allModes ? List.of(CallMode.values()) : List.of(CallMode.BATON, CallMode.RAW_ASYNC);
    progress("warming up" + suffix);
    String engine = suffix.isEmpty() ? "embedded" : STANDALONE_ENGINE;
    WarmUp.Result warmUp = WarmUp.run(engine, scenarios, List.of(baton, raw), settings, pids);
    progress(
        "warmed up"
            + suffix
            + " in "
            + warmUp.rounds().count()
            + (warmUp.rounds().count() == 1 ? " round, " : " rounds, ")
            + warmUp.millis() / 1000
            + " s");
    Supplier<Optional<CompilerCpu.Sample>> cpu = () -> CompilerCpu.of(pids);
    // The JIT's share of the measured scenarios only, without the bursts' warm-up.
    CompilerCpu.Share measuredCompiler = new CompilerCpu.Share(cpu);
    measuredCompiler.resume();
    // Baton and baseline (a), whose ratios are the targets, first and in alternating rounds, while
    // the JIT has only their paths to compile; the other baselines after them, which bring code of
    // their own (Watch streams, Get polling) for the JIT. The table lists them by scenario.
    progress(SEQUENTIAL + suffix);
    List<Measurement> sequential =
        new ArrayList<>(
            scenarios.sequentialRounds(
                SEQUENTIAL + suffix,
                List.of(baton, raw),
                settings.sequentialCalls(),
                SEQUENTIAL_ROUNDS));
    progress(CONCURRENT + suffix);
    List<Measurement> concurrent =
        new ArrayList<>(
            scenarios.concurrentRounds(
                CONCURRENT + suffix,
                List.of(baton, raw),
                settings.concurrentCallers(),
                settings.callsPerCaller() * CONCURRENT_ROUNDS,
                CONCURRENT_ROUNDS));
    progress(BURST + suffix);
    Scenarios.Bursts burst =
        scenarios.bursts(
            BURST + suffix,
            List.of(baton, raw),
            settings.burst(),
            round -> {
              measuredCompiler.pause();
              WarmUp.Rounds rounds = WarmUp.bursts(settings, round, cpu);
              measuredCompiler.resume();
              return rounds;
            });
    progress(IN_FLIGHT + suffix);
    long inFlightMillis = settings.inFlightAgentMillis();
    List<Measurement> inFlight =
        scenarios.concurrentRounds(
            IN_FLIGHT + suffix,
            List.of(call(CallMode.BATON, inFlightMillis), call(CallMode.RAW_ASYNC, inFlightMillis)),
            settings.concurrentCallers(),
            settings.inFlightCallsPerCaller(),
            CONCURRENT_ROUNDS,
            inFlightMillis);
    measuredCompiler.pause();
    if (!others(modes).isEmpty()) {
      progress("the other baselines" + suffix);
    }
    for (CallMode mode : others(modes)) {
      int calls =
          mode == CallMode.POLLING ? settings.pollingSequentialCalls() : settings.sequentialCalls();
      sequential.add(scenarios.sequential(SEQUENTIAL + suffix, call(mode, 0), calls));
    }
    for (CallMode mode : others(modes)) {
      int perCaller = mode == CallMode.POLLING ? 1 : settings.callsPerCaller();
      concurrent.add(
          scenarios.concurrent(
              CONCURRENT + suffix, call(mode, 0), settings.concurrentCallers(), perCaller));
    }
    rows.addAll(sequential);
    rows.addAll(concurrent);
    rows.addAll(burst.measured());
    rows.addAll(inFlight);
    return warmUp.measured(burst.warmUp(), measuredCompiler.percent());
  }

  /** The modes besides Baton and baseline (a). */
  private static List<CallMode> others(List<CallMode> modes) {
    return modes.stream()
        .filter(mode -> mode != CallMode.BATON && mode != CallMode.RAW_ASYNC)
        .toList();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static BenchCall call(CallMode mode, long delayMillis) {
    return new BenchCall(mode, BenchEnvironment.delayAgent(delayMillis), delayMillis);
  }

  /**
   * When this JVM loaded the benchmark: progress lines say how far into the run each step began.
   */
  private static final long STARTED = System.nanoTime();

  private static void progress(String what) {
    System.err.println(
        "baton bench: "
            + what
            + " (at "
            + (System.nanoTime() - STARTED) / 1_000_000_000
            + " s, load "
            + ProcessFacts.loadAverage()
            + ")");
  }
}
