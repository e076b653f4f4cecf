package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRun;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.AgentSlots;
import dev.baton.agent.EventLimits;
import dev.baton.agent.EventRecorder;
import dev.baton.agent.RunContext;
import dev.baton.agent.RunMonitor;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long the workflow's first task waits for this server's eager run ({@link
 * EagerRuns#awaitEnd}): briefly for a running agent, longer for a run whose agent ended and which
 * is recording and delivering the end, so that such an execution needs no agent activity. The
 * workflow side is in baton-caller's {@code EagerStartTest}.
 */
class EagerRunsTest {
  private static final Duration WHILE_RUNNING = Duration.ofMillis(100);
  private static final Duration WHILE_RECORDING = Duration.ofSeconds(10);

  private final CountDownLatch agentMayEnd = new CountDownLatch(1);
  private final CountDownLatch recording = new CountDownLatch(1);
  private final CountDownLatch recordingMayEnd = new CountDownLatch(1);
  private final EagerRuns runs =
      new EagerRuns(
          store(),
          new AgentRun(
              catalog(),
              AgentRunners.of(new GatedRunner()),
              RunMonitor.NONE,
              Clock.systemUTC(),
              EventRecorder.NONE,
              EventLimits.DEFAULT),
          (executionId, outcome) -> {
            recording.countDown();
            await(recordingMayEnd);
            return CallbackState.DELIVERED;
          },
          new AdmissionControl(null, null, null, null, Clock.systemUTC(), 0),
          Clock.systemUTC(),
          new AgentSlots(4));

  @AfterEach
  void close() {
    agentMayEnd.countDown();
    recordingMayEnd.countDown();
    runs.close();
  }

  @Test
  void aRunWhoseAgentEndedIsAwaitedWhileItRecordsAndDeliversTheEnd() throws Exception {
    agentMayEnd.countDown();
    launch("exec-recording");
    assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Optional<CallbackState>> awaited =
        CompletableFuture.supplyAsync(
            () -> runs.awaitEnd("exec-recording", WHILE_RUNNING, WHILE_RECORDING));
    Thread.sleep(WHILE_RUNNING.multipliedBy(4).toMillis());
    assertThat(awaited).as("still waiting past the wait for a running agent").isNotDone();
    recordingMayEnd.countDown();

    assertThat(awaited.get(10, TimeUnit.SECONDS)).contains(CallbackState.DELIVERED);
  }

  @Test
  void aRunningAgentIsAwaitedOnlyBriefly() {
    launch("exec-running");

    long start = System.nanoTime();
    Optional<CallbackState> end = runs.awaitEnd("exec-running", WHILE_RUNNING, WHILE_RECORDING);

    assertThat(end).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(WHILE_RECORDING.dividedBy(2));
  }

  @Test
  void aRunThatRecordsForTooLongIsLeftToTheAgentActivity() {
    agentMayEnd.countDown();
    launch("exec-slow");

    Optional<CallbackState> end = runs.awaitEnd("exec-slow", WHILE_RUNNING, Duration.ofMillis(300));

    assertThat(end).isEmpty();
  }

  private void launch(String id) {
    runs.claim(agent()).orElseThrow().launch(execution(id), () -> {});
  }

  private static Execution execution(String id) {
    return new Execution(
        id,
        Instant.now(),
        Map.of(),
        1,
        new ExecutionSpec(
            "gated", "hi", null, Duration.ofMinutes(1), null, OnCallerGone.CANCEL, null),
        ExecutionStatus.pending(CallbackStatus.none()));
  }

  private static AgentDefinition agent() {
    return new AgentDefinition(
        "gated",
        "",
        GatedRunner.TYPE,
        JsonNodeFactory.instance.objectNode(),
        Duration.ofMinutes(1),
        OnCallerGone.CANCEL,
        AgentDefinition.SERVER_DEFAULT_CONCURRENCY);
  }

  private static AgentCatalog catalog() {
    return new AgentCatalog() {
      @Override
      public List<AgentDefinition> list() {
        return List.of(agent());
      }

      @Override
      public Optional<AgentDefinition> find(String name) {
        return Optional.of(agent()).filter(agent -> agent.name().equals(name));
      }
    };
  }

  /** Answers once the test lets it, heartbeating meanwhile. */
  private final class GatedRunner implements AgentRunner {
    static final String TYPE = "gated";

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public void validate(AgentDefinition agent) {}

    @Override
    public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
      try {
        while (!agentMayEnd.await(50, TimeUnit.MILLISECONDS)) {
          context.heartbeat("waiting");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return AgentOutput.text("done");
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A store that holds nothing: the runs here release and renew leases in it, and read nothing. */
  private static ExecutionStore store() {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              Class<?> type = method.getReturnType();
              if (type == Optional.class) {
                return Optional.empty();
              }
              if (type == Set.class) {
                return Set.of();
              }
              if (type == boolean.class) {
                return false;
              }
              return null;
            });
  }
}
