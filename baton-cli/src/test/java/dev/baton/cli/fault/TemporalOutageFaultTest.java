package dev.baton.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.caller.AgentCall;
import dev.baton.cli.fault.ChildJvms.ChildJvm;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporal goes away while an agent runs and comes back empty: {@code baton dev-temporal} (the
 * in-memory test server) is killed with SIGKILL and started again on the same port, with a Baton
 * server ({@code --temporal-address}, SQLite, {@code --delivery-timeout 2s}) and the caller's
 * worker (in this JVM) staying up.
 *
 * <p>Observed sequence: the execution is IN_PROGRESS and its agent (sleep 3 s) has started;
 * Temporal is killed; the agent finishes during the outage (its runner's heartbeats fail with
 * UNAVAILABLE, which does not stop it) and its runner records the execution COMPLETED with the
 * agent's output in the store, although it can neither deliver nor report it to Temporal; the new
 * Temporal knows neither the caller's workflow nor Baton's execution workflow, so the reconciler
 * (every 1 s here, once the execution is past its 10 s settle time) finds a completed execution
 * with a pending callback and no workflow, and starts a delivery workflow on the new Temporal,
 * whose completion RPC with the caller's token is answered NOT_FOUND: the callback is recorded
 * CALLER_GONE with Temporal's answer in {@code last_error}. Nothing hangs and nothing the agent
 * produced is lost: final callback a few seconds after Temporal is back, the agent ran once.
 */
class TemporalOutageFaultTest {
  private static final Set<CallbackState> FINAL_CALLBACKS =
      EnumSet.of(CallbackState.CALLER_GONE, CallbackState.CALLBACK_FAILED, CallbackState.DELIVERED);

  @TempDir Path home;
  private ChildJvms jvms;
  private FaultCaller caller;
  private BatonApi api;

  @AfterEach
  void stopEverything() {
    if (caller != null) {
      caller.close();
    }
    if (api != null) {
      api.close();
    }
    if (jvms != null) {
      jvms.close();
    }
  }

  @Test
  void executionLostWithTemporalEndsFailedAndItsCallbackFinal() {
    Path runs = home.resolve("runs.log");
    FaultAgents.counted(home.resolve("agents"), "counted", runs, 3);
    jvms = new ChildJvms(home);
    int temporalPort = ChildJvms.freePort();
    String temporal = "127.0.0.1:" + temporalPort;
    ChildJvm firstTemporal = jvms.startDevTemporal(temporalPort);
    String address = "127.0.0.1:" + ChildJvms.freePort();
    ChildJvm server =
        jvms.startServer(
            List.of(
                "--home",
                home.toString(),
                "--listen",
                address,
                "--temporal-address",
                temporal,
                "--delivery-timeout",
                "2s",
                "--reconcile-interval",
                "1s"));
    jvms.awaitReady(firstTemporal);
    jvms.awaitReady(server);
    api = new BatonApi(address);
    caller = FaultCaller.start(temporal, address);

    long called = System.nanoTime();
    caller.call("temporal-outage", AgentCall.of("counted", "hello through an outage"));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                api.onlyOfCaller("temporal-outage")
                        .filter(e -> e.getStatus().getPhase() == ExecutionPhase.IN_PROGRESS)
                        .isPresent()
                    && FaultAgents.count(runs, "start") == 1);
    String id = api.onlyOfCaller("temporal-outage").orElseThrow().getMetadata().getId();

    long killed = System.nanoTime();
    jvms.killHard(firstTemporal);
    // The agent finishes while Temporal is down; its runner records the output all the same.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.process().descendants().findAny().isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> api.get(id).getStatus().getPhase() == ExecutionPhase.COMPLETED);
    long agentDone = System.nanoTime();
    jvms.devTemporal(temporalPort);
    long restarted = System.nanoTime();

    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              AgentExecution execution = api.get(id);
              return FINAL_CALLBACKS.contains(execution.getStatus().getCallback().getState());
            });
    long settled = System.nanoTime();

    AgentExecution ended = api.get(id);
    System.out.printf(
        "temporal-outage: Temporal killed %d ms after the call; agent process gone %d ms into the"
            + " outage; Temporal back after %d ms down; execution %s/%s, callback %s (%s) %d ms"
            + " after the restart, %d ms after the call; agent runs started %d, finished %d%n",
        millis(called, killed),
        millis(killed, agentDone),
        millis(killed, restarted),
        ended.getStatus().getPhase(),
        ended.getStatus().getError().getType(),
        ended.getStatus().getCallback().getState(),
        ended.getStatus().getCallback().getLastError(),
        millis(restarted, settled),
        millis(called, settled),
        FaultAgents.count(runs, "start"),
        FaultAgents.count(runs, "done"));
    assertThat(ended.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(ended.getStatus().getOutput()).contains("hello through an outage");
    assertThat(ended.getStatus().getCallback().getState()).isEqualTo(CallbackState.CALLER_GONE);
    assertThat(ended.getStatus().getCallback().getLastError()).contains("NOT_FOUND");
    assertThat(FaultAgents.count(runs, "start")).as("agent runs").isEqualTo(1);
    // The caller's workflow went down with the in-memory Temporal: there is nobody to deliver to.
    assertThat(
            catchThrowable(
                () -> caller.client().newUntypedWorkflowStub("temporal-outage").describe()))
        .isInstanceOf(WorkflowNotFoundException.class);
  }

  private static long millis(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }
}
