package dev.baton.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs calls in the scenario shapes of issue 7 and turns their samples into measurements. */
final class Scenarios {
  /** Seeds the callers' start offsets of {@link #startOffsets}. */
  private static final long SPREAD_SEED = 7;

  private final BenchEnvironment env;

  /** The pause before each alternating round, not counted in any mode's wall time. */
  private final long roundPauseMillis;

  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  Scenarios(BenchEnvironment env, long roundPauseMillis) {
    this.env = env;
    this.roundPauseMillis = roundPauseMillis;
  }

  /** One call's client-side timing and the workflow's own measurements. */
  record Sample(long endToEndMillis, BenchOutcome outcome) {}

  /** Calls of the pending and long-agent scenarios that failed instead of completing. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  Sample callOnce(String queue, BenchCall call) {
    BenchWorkflow workflow = stub(queue);
    long start = System.nanoTime();
    BenchOutcome outcome = workflow.call(call);
    return new Sample((System.nanoTime() - start) / 1_000_000, outcome);
  }

  Measurement sequential(String scenario, BenchCall call, int calls) {
    long start = System.nanoTime();
    return measure(scenario, call, sequentialSamples(call, calls), millisSince(start), "");
  }

  Measurement concurrent(String scenario, BenchCall call, int callers, int callsPerCaller) {
    long start = System.nanoTime();
    return measure(
        scenario,
        call,
        concurrentSamples(call, callers, callsPerCaller, 0),
        millisSince(start),
        callers + " callers");
  }

  /**
   * {@link #sequential} for several modes in alternating rounds; see {@link #alternating}.
   *
   * @param calls each mode's calls in all
   */
  List<Measurement> sequentialRounds(
      String scenario, List<BenchCall> modes, int calls, int rounds) {
    return alternating(scenario, modes, calls, rounds, "", this::sequentialSamples);
  }

  /**
   * {@link #concurrent} for several modes in alternating rounds; see {@link #alternating}.
   *
   * @param callsPerCaller each caller's calls of each mode in all
   */
  List<Measurement> concurrentRounds(
      String scenario, List<BenchCall> modes, int callers, int callsPerCaller, int rounds) {
    return concurrentRounds(scenario, modes, callers, callsPerCaller, rounds, 0);
  }

  /**
   * {@link #concurrentRounds} with each caller's first call at random within {@code spreadMillis},
   * as independent callers' calls come, rather than all at the same instant: with agents that take
   * a while, callers that start together stay in step, and their calls come in waves of all the
   * callers at once (the burst scenario's shape) instead of being in flight together.
   */
  List<Measurement> concurrentRounds(
      String scenario,
      List<BenchCall> modes,
      int callers,
      int callsPerCaller,
      int rounds,
      long spreadMillis) {
    String note =
        callers
            + " callers"
            + (spreadMillis > 0 ? ", first calls at random within " + spreadMillis + " ms" : "");
    return alternating(
        scenario,
        modes,
        callsPerCaller,
        rounds,
        note,
        (call, share) -> concurrentSamples(call, callers, share, spreadMillis));
  }

  /** Makes the calls of one round of one mode. */
  @FunctionalInterface
  interface Round {
    List<Sample> run(BenchCall call, int share);
  }

  /**
   * Runs the modes in turn, {@code rounds} times, each round taking its share of {@code count},
   * after a pause that lets the previous round's leftover work (an execution's workflow ends after
   * its caller has the result) finish. Modes whose figures are compared as ratios thus share the
   * machine's good and bad moments: on this shared 2-core machine a baseline measured a minute
   * apart moved by a factor of two (docs/performance.md). A mode's wall time is the sum of its
   * rounds'.
   */
  List<Measurement> alternating(
      String scenario, List<BenchCall> modes, int count, int rounds, String note, Round round) {
    List<List<Sample>> samples = new ArrayList<>();
    long[] wallMillis = new long[modes.size()];
    for (int m = 0; m < modes.size(); m++) {
      samples.add(new ArrayList<>());
    }
    for (int r = 0; r < rounds; r++) {
      int share = count / rounds + (r < count % rounds ? 1 : 0);
      for (int m = 0; share > 0 && m < modes.size(); m++) {
        pause(roundPauseMillis);
        long start = System.nanoTime();
        samples.get(m).addAll(round.run(modes.get(m), share));
        wallMillis[m] += millisSince(start);
      }
    }
    List<Measurement> measured = new ArrayList<>();
    for (int m = 0; m < modes.size(); m++) {
      measured.add(measure(scenario, modes.get(m), samples.get(m), wallMillis[m], note));
    }
    return measured;
  }

  private List<Sample> sequentialSamples(BenchCall call, int calls) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      samples.add(callOnce(BenchEnvironment.CALLER_QUEUE, call));
    }
    return samples;
  }

  /**
   * Each caller makes its calls one after another, starting after its {@link #startOffsets offset}.
   */
  private List<Sample> concurrentSamples(
      BenchCall call, int callers, int callsPerCaller, long spreadMillis) {
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (long startAfter : startOffsets(callers, spreadMillis)) {
        running.add(
            threads.submit(
                () -> {
                  Thread.sleep(startAfter);
                  for (int i = 0; i < callsPerCaller; i++) {
                    samples.add(callOnce(BenchEnvironment.CALLER_QUEUE, call));
                  }
                  return null;
                }));
      }
      awaitAll(running);
      return List.copyOf(samples);
    } finally {
      threads.shutdownNow();
    }
  }

  /**
   * When each of {@code callers} independent callers makes its first call, in ms after the round
   * starts: at random within {@code spreadMillis} (all at once for 0). The same in every round and
   * for every mode, so that the modes compare the same arrivals.
   */
  static long[] startOffsets(int callers, long spreadMillis) {
    Random random = new Random(SPREAD_SEED);
    long[] offsets = new long[callers];
    for (int c = 0; c < callers; c++) {
      offsets[c] = spreadMillis > 0 ? random.nextLong(spreadMillis) : 0;
    }
    return offsets;
  }

  /**
   * A burst of {@code calls} of each mode in turn, after unreported rounds of one burst of each,
   * run by {@code warmUp} for as long as it decides: the first burst of 500 in a JVM compiles code
   * the concurrent rounds did not (about 0.7 s of the JIT compiler threads' CPU) and, on Temporal's
   * test server, starts a thread for each caller's result long poll; whichever mode's burst came
   * first paid for both (docs/performance.md, seventeenth and eighteenth rounds).
   */
  Bursts bursts(
      String scenario, List<BenchCall> modes, int calls, Function<Runnable, WarmUp.Rounds> warmUp) {
    return warmedUp(modes, call -> burst(scenario, call, calls), warmUp);
  }

  /** The measured bursts, and the rounds of unreported ones before them. */
  record Bursts(WarmUp.Rounds warmUp, List<Measurement> measured) {}

  /**
   * Gives {@code warmUp} a round that runs {@code run} once for each mode, unreported; then runs it
   * again for each mode for the figures.
   */
  static Bursts warmedUp(
      List<BenchCall> modes,
      Function<BenchCall, Measurement> run,
      Function<Runnable, WarmUp.Rounds> warmUp) {
    WarmUp.Rounds rounds = warmUp.apply(() -> modes.forEach(run::apply));
    return new Bursts(rounds, modes.stream().map(run).toList());
  }

  /**
   * Starts {@code calls} workflows at the same instant, one thread each, after the pause of an
   * alternating round: each mode's burst then finds the previous scenario's leftover work done, as
   * the other mode's does.
   */
  private Measurement burst(String scenario, BenchCall call, int calls) {
    pause(roundPauseMillis);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(calls);
    try {
      CountDownLatch ready = new CountDownLatch(calls);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < calls; c++) {
        BenchWorkflow workflow = stub(BenchEnvironment.CALLER_QUEUE);
        running.add(
            threads.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  long t0 = System.nanoTime();
                  BenchOutcome outcome = workflow.call(call);
                  samples.add(new Sample((System.nanoTime() - t0) / 1_000_000, outcome));
                  return null;
                }));
      }
      await(ready);
      long start = System.nanoTime();
      go.countDown();
      awaitAll(running);
      return measure(scenario, call, samples, millisSince(start), calls + " started at once");
    } finally {
      threads.shutdownNow();
    }
  }

  /** What the pending scenario found. */
  record PendingResult(
      int calls,
      int completed,
      long heapBeforeBytes,
      long heapPendingBytes,
      int maxCallerSlots,
      long handOffMillis,
      long drainMillis,
      double rssMb) {

    double heapPerPendingBytes() {
      return (heapPendingBytes - heapBeforeBytes) / (double) calls;
    }
  }

  /**
   * Starts {@code calls} Baton calls of the gated agent through the 10-slot worker, waits until
   * every caller activity has handed off, measures heap, then opens the gate and waits for all.
   */
  PendingResult pending(int calls) throws Exception {
    java.nio.file.Files.deleteIfExists(env.gate);
    long heapBefore = ProcessFacts.heapAfterGc();
    env.limitedSlots.reset();
    long finishedBefore = env.limitedSlots.finished();
    BenchCall call = new BenchCall(CallMode.BATON, BenchEnvironment.GATED_AGENT, 0);
    long start = System.nanoTime();
    List<WorkflowStubRef> started = startAll(BenchEnvironment.LIMITED_QUEUE, call, calls);
    while (env.limitedSlots.finished() - finishedBefore < calls) {
      Thread.sleep(100);
    }
    long handOff = (System.nanoTime() - start) / 1_000_000;
    long heapPending = ProcessFacts.heapAfterGc();
    double rss = ProcessFacts.rssMb();
    java.nio.file.Files.createFile(env.gate);
    long drainStart = System.nanoTime();
    int completed = awaitResults(started).size();
    long drain = (System.nanoTime() - drainStart) / 1_000_000;
    return new PendingResult(
        calls, completed, heapBefore, heapPending, env.limitedSlots.max(), handOff, drain, rss);
  }

  /** Wall time of {@code calls} calls started at once through the 10-slot worker. */
  record WallResult(CallMode mode, int calls, long wallMillis, int maxCallerSlots, Stats agent) {}

  WallResult wall(BenchCall call, int calls) throws Exception {
    env.limitedSlots.reset();
    long start = System.nanoTime();
    List<WorkflowStubRef> started = startAll(BenchEnvironment.LIMITED_QUEUE, call, calls);
    List<BenchOutcome> outcomes = awaitResults(started);
    long wall = (System.nanoTime() - start) / 1_000_000;
    return new WallResult(
        call.mode(),
        outcomes.size(),
        wall,
        env.limitedSlots.max(),
        Stats.of(outcomes.stream().map(BenchOutcome::agentMillis).toList()));
  }

  private record WorkflowStubRef(String workflowId) {}

  private List<WorkflowStubRef> startAll(String queue, BenchCall call, int calls) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<WorkflowStubRef>> starts = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        starts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  String id = "bench-" + UUID.randomUUID();
                  WorkflowClient.start(stub(queue, id)::call, call);
                  return new WorkflowStubRef(id);
                },
                threads));
      }
      List<WorkflowStubRef> ids = new ArrayList<>();
      for (CompletableFuture<WorkflowStubRef> start : starts) {
        ids.add(start.get());
      }
      return ids;
    } finally {
      threads.shutdownNow();
    }
  }

  private List<BenchOutcome> awaitResults(List<WorkflowStubRef> started) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<BenchOutcome>> results = new ArrayList<>();
      for (WorkflowStubRef ref : started) {
        results.add(
            threads.submit(
                () ->
                    env.client
                        .newUntypedWorkflowStub(ref.workflowId())
                        .getResult(BenchOutcome.class)));
      }
      List<BenchOutcome> outcomes = new ArrayList<>();
      for (Future<BenchOutcome> result : results) {
        try {
          outcomes.add(result.get());
        } catch (ExecutionException e) {
          // Counted, not thrown: the report says how many of the calls completed.
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          failures.add(root.toString());
        }
      }
      return outcomes;
    } finally {
      threads.shutdownNow();
    }
  }

  private BenchWorkflow stub(String queue) {
    return stub(queue, "bench-" + UUID.randomUUID());
  }

  private BenchWorkflow stub(String queue, String workflowId) {
    return env.client.newWorkflowStub(
        BenchWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(queue).build());
  }

  /**
   * The handshake is the caller activity's duration minus the agent's configured delay, the same
   * for every mode: what each mode reports as the agent's run time differs (Baton's execution
   * start/end spans its own dispatch, for instance), so subtracting it would credit a mode with
   * part of its own cost.
   */
  private static Measurement measure(
      String scenario, BenchCall call, List<Sample> samples, long wall, String note) {
    List<Sample> copy = List.copyOf(samples);
    return new Measurement(
        scenario,
        call.mode(),
        Stats.of(copy.stream().map(Sample::endToEndMillis).toList()),
        Stats.of(
            copy.stream().map(s -> s.outcome().activityMillis() - call.delayMillis()).toList()),
        Stats.of(copy.stream().map(s -> s.outcome().agentMillis()).toList()),
        wall,
        copy.size() * 1000.0 / Math.max(1, wall),
        ProcessFacts.heapMb(),
        ProcessFacts.rssMb(),
        note);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void awaitAll(List<Future<?>> running) {
    for (Future<?> future : running) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a benchmark call failed: " + e.getCause(), e.getCause());
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
