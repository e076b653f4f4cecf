package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.callback.AgentResult;
import dev.baton.execution.CallbackState;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPage;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 agent calls from 100 concurrent caller workflows against one real server (embedded
 * Temporal, SQLite, command agents): every caller gets exactly one outcome per call, no agent runs
 * twice, nothing is left pending.
 */
class LoadTest {
  private static final int CALLERS = 100;
  private static final int CALLS_PER_CALLER = 10;
  private static final int CALLS = CALLERS * CALLS_PER_CALLER;
  private static final String QUEUE = "load-test-caller";
  private static final Duration ALL_CALLERS_DONE = Duration.ofMinutes(6);
  private static final Duration CALLBACKS_SETTLED = Duration.ofSeconds(30);

  @TempDir Path home;

  /** A caller that makes its ten agent calls in parallel. */
  @WorkflowInterface
  public interface LoadCaller {
    @WorkflowMethod
    List<AgentResult> call(List<AgentCall> calls);
  }

  public static final class LoadCallerImpl implements LoadCaller {
    @Override
    public List<AgentResult> call(List<AgentCall> calls) {
      AgentCallActivities agents =
          Workflow.newActivityStub(
              AgentCallActivities.class,
              AgentCallOptions.forExpectedDuration(Duration.ofMinutes(3)));
      List<Promise<AgentResult>> results =
          calls.stream().map(call -> Async.function(agents::callAgent, call)).toList();
      return results.stream().map(Promise::get).toList();
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void thousandCallsFromHundredCallersEachCompleteExactlyOnce() throws Exception {
    Path runs = home.resolve("runs.log");
    writeRecordingAgent(home.resolve("agents"), runs);
    try (BatonServer server =
            BatonServer.start(ServerConfig.builder(home).port(0).embeddedTemporalPort(0).build());
        CallerWorker caller = new CallerWorker(server)) {
      // given 100 callers, each with ten unique messages
      Map<String, List<AgentCall>> callsByCaller = new TreeMap<>();
      for (int c = 0; c < CALLERS; c++) {
        int callerIndex = c;
        callsByCaller.put(
            "load-caller-" + c,
            IntStream.range(0, CALLS_PER_CALLER)
                .mapToObj(i -> AgentCall.of("record", "message " + callerIndex + "." + i))
                .toList());
      }

      // when they all call at once
      long started = System.nanoTime();
      Map<String, CompletableFuture<List<AgentResult>>> running = new TreeMap<>();
      callsByCaller.forEach(
          (workflowId, calls) ->
              running.put(
                  workflowId, WorkflowClient.execute(caller.stub(workflowId)::call, calls)));
      CompletableFuture.allOf(running.values().toArray(CompletableFuture[]::new))
          .get(ALL_CALLERS_DONE.toSeconds(), TimeUnit.SECONDS);
      Duration wall = Duration.ofNanos(System.nanoTime() - started);

      List<AgentResult> results =
          running.values().stream().flatMap(f -> f.join().stream()).toList();
      Set<String> executionIds =
          results.stream().map(AgentResult::executionId).collect(Collectors.toSet());
      List<String> agentRuns = Files.readAllLines(runs);
      Set<String> distinctRuns = new HashSet<>(agentRuns);
      // A delivery is recorded after the completion RPC returns: a caller may hold its last
      // result a moment before the store says DELIVERED, longer at this load.
      await()
          .atMost(CALLBACKS_SETTLED)
          .until(() -> server.store().withPendingCallback(CALLS), List::isEmpty);
      List<Execution> stored = allExecutions(server);
      report(wall, results, agentRuns, distinctRuns, stored);

      // then every caller got one result per call, its own, in order
      for (var entry : running.entrySet()) {
        List<String> sent =
            callsByCaller.get(entry.getKey()).stream().map(AgentCall::message).toList();
        assertThat(entry.getValue().join())
            .extracting(AgentResult::output)
            .containsExactlyElementsOf(sent);
      }
      assertThat(results).allSatisfy(r -> assertThat(r.phase()).isEqualTo("COMPLETED"));
      assertThat(results).hasSize(CALLS);
      assertThat(executionIds).hasSize(CALLS);

      // and each agent ran exactly once
      assertThat(agentRuns).hasSize(CALLS);
      assertThat(distinctRuns).isEqualTo(executionIds);

      // and nothing is left pending: every execution COMPLETED with its callback DELIVERED
      assertThat(stored).hasSize(CALLS);
      assertThat(stored)
          .extracting(Execution::id)
          .containsExactlyInAnyOrderElementsOf(executionIds);
      assertThat(stored).allSatisfy(e -> assertThat(e.phase()).isEqualTo(ExecutionPhase.COMPLETED));
      assertThat(stored)
          .allSatisfy(
              e -> assertThat(e.status().callback().state()).isEqualTo(CallbackState.DELIVERED));
    }
  }

  private static void report(
      Duration wall,
      List<AgentResult> results,
      List<String> agentRuns,
      Set<String> distinctRuns,
      List<Execution> stored) {
    Map<Integer, Long> callbackAttempts =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.status().callback().attempts(), TreeMap::new, Collectors.counting()));
    Map<Integer, Long> callerAttempts =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.spec().caller().attempt(), TreeMap::new, Collectors.counting()));
    Map<ExecutionPhase, Long> phases =
        stored.stream()
            .collect(Collectors.groupingBy(Execution::phase, TreeMap::new, Collectors.counting()));
    Map<CallbackState, Long> callbacks =
        stored.stream()
            .collect(
                Collectors.groupingBy(
                    e -> e.status().callback().state(), TreeMap::new, Collectors.counting()));
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Long> agentMillis =
        results.stream().map(AgentResult::durationMillis).sorted().collect(Collectors.toList());
    System.out.printf(
        "LoadTest: %d callers x %d calls = %d calls in %.1f s (%.1f calls/s)%n"
            + "  this JVM's CPU time %.1f s; system load average %.1f on %d cores%n"
            + "  outcomes received: %d, distinct execution ids: %d%n"
            + "  agent runs recorded: %d, distinct: %d%n"
            + "  stored phases: %s, callback states: %s%n"
            + "  callback delivery attempts per execution: %s%n"
            + "  caller activity attempt bound to each execution: %s%n"
            + "  agent run time p50 %d ms, p99 %d ms, max %d ms%n",
        CALLERS,
        CALLS_PER_CALLER,
        CALLS,
        wall.toMillis() / 1000.0,
        CALLS * 1000.0 / Math.max(1, wall.toMillis()),
        os.getProcessCpuTime() / 1e9,
        os.getSystemLoadAverage(),
        os.getAvailableProcessors(),
        results.size(),
        results.stream().map(AgentResult::executionId).distinct().count(),
        agentRuns.size(),
        distinctRuns.size(),
        phases,
        callbacks,
        callbackAttempts,
        callerAttempts,
        percentile(agentMillis, 50),
        percentile(agentMillis, 99),
        agentMillis.get(agentMillis.size() - 1));
  }

  private static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
  }

  private static List<Execution> allExecutions(BatonServer server) {
    List<Execution> all = new ArrayList<>();
    String after = null;
    do {
      ExecutionPage page = server.store().list(new ExecutionQuery(Set.of(), null, 200, after));
      all.addAll(page.executions());
      after = page.nextAfterId();
    } while (after != null);
    return all;
  }

  /**
   * A cheap agent that echoes its message and appends its execution id to {@code runs}. Its
   * generous timeout is headroom, not expected run time: the agent activity's schedule-to-close
   * (timeout + 30 s) also counts the wait for a runner slot behind up to 1,000 queued runs.
   */
  private static void writeRecordingAgent(Path dir, Path runs) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("record.yaml"),
        """
        name: record
        runner: command
        timeout: 5m
        settings:
          command: ["sh", "-c", 'echo "$BATON_EXECUTION_ID" >> "$RUNS_FILE"; cat']
          env:
            RUNS_FILE: "%s"
        """
            .formatted(runs.toAbsolutePath()));
  }

  /** A caller worker in its own Temporal client, as a user would run one. */
  private static final class CallerWorker implements AutoCloseable {
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;
    private final WorkerFactory workers;
    private final BatonClient baton;

    CallerWorker(BatonServer server) {
      baton = BatonClient.connect("127.0.0.1:" + server.port());
      service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(server.temporalTarget()).build());
      client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(server.temporalNamespace()).build());
      workers = WorkerFactory.newInstance(client);
      Worker worker = workers.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(LoadCallerImpl.class);
      worker.registerActivitiesImplementations(new AgentCallActivitiesImpl(baton));
      workers.start();
    }

    LoadCaller stub(String workflowId) {
      return client.newWorkflowStub(
          LoadCaller.class,
          WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build());
    }

    @Override
    public void close() {
      workers.shutdownNow();
      workers.awaitTermination(10, TimeUnit.SECONDS);
      service.shutdownNow();
      baton.close();
    }
  }
}
