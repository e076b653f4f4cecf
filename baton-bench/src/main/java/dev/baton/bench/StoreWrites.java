package dev.baton.bench;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.RunLease;
import dev.baton.execution.Termination;
import dev.baton.store.Database;
import dev.baton.store.JdbcExecutionStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The store's write path alone: a Baton call's three write transactions (the execution with its run
 * lease, its end, its callback's outcome) against a SQLite file, by one writer and by several at
 * once, without Temporal or gRPC. The server's SQLite ceiling on this machine, and what its group
 * commit does when writers queue.
 */
final class StoreWrites {
  /** Writer threads of each measurement: alone, and queueing as a server's threads do. */
  static final List<Integer> WRITERS = List.of(1, 8);

  /** What a call writes: the execution with its run lease, its end, its callback's outcome. */
  static final int WRITES_PER_CALL = 3;

  private static final String OWNER = "bench";

  /** One measurement: {@code calls} calls by {@code writers} threads, after as many to warm up. */
  record Result(int writers, int calls, long millis, long cpuNanos) {
    double callsPerSecond() {
      return calls * 1000.0 / Math.max(1, millis);
    }

    double writesPerSecond() {
      return WRITES_PER_CALL * callsPerSecond();
    }

    double cpuMicrosPerCall() {
      return cpuNanos / 1000.0 / calls;
    }
  }

  private StoreWrites() {}

  /** Measures each of {@link #WRITERS} on a database of its own under {@code dir}. */
  static List<Result> measure(Path dir, int calls) throws Exception {
    List<Result> results = new ArrayList<>();
    for (int writers : WRITERS) {
      try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(writers + ".db"))) {
        JdbcExecutionStore store = new JdbcExecutionStore(database);
        run(store, writers, calls);
        results.add(run(store, writers, calls));
      }
    }
    return results;
  }

  private static Result run(JdbcExecutionStore store, int writers, int calls) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      long cpu0 = ProcessFacts.cpuNanos();
      long t0 = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int share = calls / writers + (w < calls % writers ? 1 : 0);
        running.add(threads.submit(() -> calls(store, share)));
      }
      for (Future<?> done : running) {
        done.get();
      }
      long millis = (System.nanoTime() - t0) / 1_000_000;
      return new Result(writers, calls, millis, ProcessFacts.cpuNanos() - cpu0);
    } finally {
      threads.shutdownNow();
    }
  }

  private static Void calls(JdbcExecutionStore store, int count) {
    ExecutionIds ids = new ExecutionIds(Clock.systemUTC());
    for (int i = 0; i < count; i++) {
      NewExecution execution = execution(ids.next());
      Instant now = Instant.now();
      store.createLeased(execution, new RunLease(OWNER, now.plusSeconds(30)));
      store.finish(execution.id(), Termination.completed("done", null, now));
      store.updateCallback(
          execution.id(),
          new CallbackStatus(
              CallbackState.DELIVERED, 1, null, now, execution.callbackToken().fingerprint()));
    }
    return null;
  }

  /** An execution as a caller's Create makes it: with its caller, token and idempotency key. */
  private static NewExecution execution(String id) {
    CallerIdentity caller = new CallerIdentity("default", "wf-" + id, "run-1", "act-1", 1);
    ExecutionSpec spec =
        new ExecutionSpec(
            "echo",
            "Summarise the incident report.",
            caller,
            Duration.ofMinutes(30),
            Duration.ofSeconds(45),
            OnCallerGone.CANCEL);
    return new NewExecution(
        id,
        Instant.now(),
        Map.of("team", "bench"),
        spec,
        CallbackToken.of(("token-" + id).getBytes(StandardCharsets.UTF_8)),
        caller.idempotencyKey());
  }
}
