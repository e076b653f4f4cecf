package dev.baton.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import dev.baton.cli.fault.ChildJvms.ChildJvm;
import dev.baton.execution.ExecutionIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of the Baton server process while its agent runs, with Temporal ({@code baton
 * dev-temporal}) and PostgreSQL outside it: a new server process on the same database and Temporal
 * finishes the execution and the caller gets exactly one result.
 *
 * <p>Observed sequence (2-core machine under load): the execution is IN_PROGRESS and the agent
 * (sleep 5 s) has started; SIGKILL ends the server about 6 s after the call, but not the agent's
 * process, which runs in a session of its own and finishes its work as an orphan (unless it still
 * runs when the new server starts, which stops it: {@code SessionLedger}); the new server serves
 * about 10 s later; Temporal times out the dead runner's activity after its 5 s heartbeat timeout
 * and retries it on the new server, which runs the agent a second time; that run's output completes
 * the execution, and its delivery completes the caller's activity on the first attempt. The
 * caller's history holds one activity, scheduled once and completed once: one outcome, about 7 s
 * after the restart and 23 s after the call. The agent ran twice (2 starts, 2 finishes): a runner
 * crash makes agent runs at-least-once, as with any Temporal activity.
 *
 * <p>This needed {@code NonStickyWorkflowTasks} in the embedded Temporal: the Java test server
 * never moves a workflow task off a dead worker's sticky queue, so the execution workflow used to
 * wait forever on the killed server's queue (history ending in WORKFLOW_TASK_SCHEDULED).
 */
class ServerCrashFaultTest {
  @TempDir Path home;
  private TestPostgres postgres;
  private ChildJvms jvms;
  private FaultCaller caller;
  private BatonApi api;

  @AfterEach
  void stopEverything() throws SQLException {
    if (caller != null) {
      caller.close();
    }
    if (api != null) {
      api.close();
    }
    if (jvms != null) {
      jvms.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /**
   * With {@code --eager-start} the agent runs under the killed server's run lease: the new server's
   * agent activity waits for the lease to lapse ({@code EagerRuns.LEASE} after its last renewal)
   * before it runs the agent again.
   */
  @ParameterizedTest(name = "eager start {0}")
  @ValueSource(booleans = {false, true})
  void restartedServerFinishesTheExecutionAndTheCallerGetsOneResult(boolean eagerStart)
      throws Exception {
    postgres = TestPostgres.freshSchema();
    Path runs = home.resolve("runs.log");
    FaultAgents.counted(home.resolve("agents"), "counted", runs, 5);
    jvms = new ChildJvms(home);
    int temporalPort = ChildJvms.freePort();
    String temporal = "127.0.0.1:" + temporalPort;
    ChildJvm temporalProcess = jvms.startDevTemporal(temporalPort);
    String address = "127.0.0.1:" + ChildJvms.freePort();
    List<String> args =
        List.of(
            "--home",
            home.toString(),
            "--listen",
            address,
            "--database-url",
            postgres.url(),
            "--temporal-address",
            temporal,
            eagerStart ? "--eager-start" : "--no-eager-start");
    ChildJvm first = jvms.startServer(args);
    jvms.awaitReady(temporalProcess);
    jvms.awaitReady(first);
    api = new BatonApi(address);
    caller = FaultCaller.start(temporal, address);

    long called = System.nanoTime();
    WorkflowStub workflow =
        caller.call("server-crash", AgentCall.of("counted", "survive the crash"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                api.onlyOfCaller("server-crash")
                        .filter(e -> e.getStatus().getPhase() == ExecutionPhase.IN_PROGRESS)
                        .isPresent()
                    && FaultAgents.count(runs, "start") == 1);
    String id = api.onlyOfCaller("server-crash").orElseThrow().getMetadata().getId();

    long killed = System.nanoTime();
    List<ProcessHandle> orphans = jvms.killHard(first);
    api.close();
    jvms.server(args);
    long restarted = System.nanoTime();
    api = new BatonApi(address);

    AgentResult result;
    try {
      result = workflow.getResult(90, TimeUnit.SECONDS, AgentResult.class);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the caller got no result within 90 s of the restart; "
              + caller.diagnose("server-crash")
              + "\n"
              + caller.diagnose(ExecutionIds.workflowId(id)),
          e);
    }
    long answered = System.nanoTime();

    assertThat(result.output()).isEqualTo("survive the crash");
    assertThat(result.executionId()).isEqualTo(id);
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> api.get(id).getStatus().getCallback().getState() == CallbackState.DELIVERED);
    AgentExecution done = api.get(id);
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(api.ofCaller("server-crash")).hasSize(1);
    Map<EventType, Long> history = caller.historyCounts("server-crash");
    long starts = FaultAgents.count(runs, "start");
    System.out.printf(
        "server-crash (eager start %s): SIGKILL %d ms after the call (agent processes orphaned: %d); new server up"
            + " in %d ms; caller's result %d ms after the restart, %d ms after the call; callback"
            + " %s after %d attempt(s); agent runs started %d, finished %d; caller history %s%n",
        eagerStart,
        millis(called, killed),
        orphans.size(),
        millis(killed, restarted),
        millis(restarted, answered),
        millis(called, answered),
        done.getStatus().getCallback().getState(),
        done.getStatus().getCallback().getAttempts(),
        starts,
        FaultAgents.count(runs, "done"),
        history);
    // Exactly one outcome reached the caller: one activity scheduled, completed once, never
    // failed, timed out or retried.
    assertThat(history.get(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isEqualTo(1L);
    assertThat(history.get(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).isEqualTo(1L);
    assertThat(history)
        .doesNotContainKeys(
            EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
            EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
    assertThat(starts)
        .as(
            "agent runs: the crashed server's run (orphaned, or stopped by the new server) plus the runner"
                + " activity's retry on the new server")
        .isBetween(1L, 2L);
  }

  private static long millis(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }
}
