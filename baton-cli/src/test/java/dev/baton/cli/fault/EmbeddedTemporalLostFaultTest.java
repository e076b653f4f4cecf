package dev.baton.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.cli.fault.ChildJvms.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a fully embedded {@code baton server} (SQLite, Temporal's test server
 * in-process): the restarted server has a fresh, empty Temporal, and its reconciler fails the
 * execution whose workflow went down with the old one.
 *
 * <p>Observed sequence: the execution is IN_PROGRESS about 3 s after Create; SIGKILL ends the
 * server, but not the agent's processes (its shell and {@code sleep}, in a session of their own):
 * they run on as orphans; the server starts again on the same home and ports (about 10 s on a
 * loaded 2-core machine) and, before it runs any agent, stops them (the command agent ledger under
 * the home names them, and their server is gone); its first reconciler pass asks the new Temporal
 * for the execution's workflow, gets NOT_FOUND and records FAILED with {@code ExecutionLost} within
 * a second of the restart (the execution being past the reconciler's 10 s settle time by then). The
 * execution had no callback token, so its callback stays NONE.
 */
class EmbeddedTemporalLostFaultTest {
  @TempDir Path home;
  private ChildJvms jvms;
  private BatonApi api;

  @AfterEach
  void stopEverything() {
    if (api != null) {
      api.close();
    }
    if (jvms != null) {
      jvms.close();
    }
  }

  @Test
  void restartedEmbeddedServerFailsTheExecutionWhoseWorkflowWasLost() {
    Path runs = home.resolve("runs.log");
    FaultAgents.endless(home.resolve("agents"), "endless", runs);
    jvms = new ChildJvms(home);
    String address = "127.0.0.1:" + ChildJvms.freePort();
    List<String> args =
        List.of(
            "--home",
            home.toString(),
            "--listen",
            address,
            "--embedded-temporal-port",
            String.valueOf(ChildJvms.freePort()),
            "--reconcile-interval",
            "1s");
    ChildJvm first = jvms.server(args);
    api = new BatonApi(address);

    long created = System.nanoTime();
    String id = api.create("endless", "never finishes").getMetadata().getId();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> api.get(id).getStatus().getPhase() == ExecutionPhase.IN_PROGRESS);
    await().atMost(Duration.ofSeconds(10)).until(() -> FaultAgents.count(runs, "start") == 1);

    long killed = System.nanoTime();
    List<ProcessHandle> orphans = jvms.killHard(first);
    api.close();
    jvms.server(args);
    long restarted = System.nanoTime();
    api = new BatonApi(address);

    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> api.get(id).getStatus().getPhase() == ExecutionPhase.FAILED);
    long failed = System.nanoTime();

    // The restarted server stopped the agent the killed one left running.
    assertThat(orphans).as("agent processes alive after the kill").isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> orphans.stream().noneMatch(EmbeddedTemporalLostFaultTest::isRunning));

    AgentExecution lost = api.get(id);
    assertThat(lost.getStatus().getError().getType()).isEqualTo("ExecutionLost");
    assertThat(lost.getStatus().getError().getMessage()).contains("lost");
    assertThat(lost.getStatus().getCallback().getState()).isEqualTo(CallbackState.NONE);
    System.out.printf(
        "embedded-temporal-lost: IN_PROGRESS then SIGKILL at +%d ms after Create; restarted in %d"
            + " ms; FAILED/ExecutionLost %d ms after the restart (%d ms after Create); agent"
            + " processes orphaned by the kill (stopped by the new server): %d; agent runs"
            + " started: %d%n",
        millis(created, killed),
        millis(killed, restarted),
        millis(restarted, failed),
        millis(created, failed),
        orphans.size(),
        FaultAgents.count(runs, "start"));
  }

  /** Alive and not a zombie (an orphan's new parent may not reap it at once). */
  private static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", process.pid() + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  private static long millis(long fromNanos, long toNanos) {
    return Duration.ofNanos(toNanos - fromNanos).toMillis();
  }
}
