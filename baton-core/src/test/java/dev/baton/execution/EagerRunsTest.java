package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long the workflow's first task waits for this server's eager run ({@link
 * EagerRuns#awaitEnd}): briefly for a running agent, longer for a run whose agent ended and which
 * is recording and delivering the end, so that such an execution needs no agent activity. The
 * workflow side is in baton-caller's {@code EagerStartTest}.
 *
 * <p>And when a run starts its workflow ({@link DeferredWorkflowStarts}): never when it delivers
 * its end within the workflow delay, once when it outlives the delay, at once when it ends without
 * a delivered end; a failed start is retried while the agent runs.
 */
class EagerRunsTest {
  private static final Duration WHILE_RUNNING = Duration.ofMillis(100);
  private static final Duration WHILE_RECORDING = Duration.ofSeconds(10);
  private static final Duration DELAY = Duration.ofMillis(300);

  private final CountDownLatch agentMayEnd = new CountDownLatch(1);
  private final CountDownLatch recording = new CountDownLatch(1);
  private final CountDownLatch recordingMayEnd = new CountDownLatch(1);
  private final List<String> storeCalls = new CopyOnWriteArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private volatile CallbackState recordedState = CallbackState.DELIVERED;
  private volatile int failingStarts;
  private volatile CallbackToken recordedWith;
  private EagerRuns runs = eagerRuns(Duration.ZERO);

  @AfterEach
  void close() {
    agentMayEnd.countDown();
    recordingMayEnd.countDown();
    runs.close();
  }

  private EagerRuns eagerRuns(Duration workflowDelay) {
    return new EagerRuns(
        NotingStore.of(storeCalls),
        new AgentRun(
            catalog(),
            AgentRunners.of(new GatedRunner()),
            RunMonitor.NONE,
            Clock.systemUTC(),
            EventRecorder.NONE,
            EventLimits.DEFAULT),
        (executionId, outcome, knownToken) -> {
          recordedWith = knownToken;
          recording.countDown();
          awaitLatch(recordingMayEnd);
          if (recordedState == null) {
            throw new IllegalStateException("store unreachable");
          }
          return recordedState;
        },
        new AdmissionControl(null, null, null, null, Clock.systemUTC(), 0),
        Clock.systemUTC(),
        new AgentSlots(4),
        workflowDelay);
  }

  private void deferred(Duration delay) {
    runs.close();
    runs = eagerRuns(delay);
    recordingMayEnd.countDown();
  }

  @Test
  void aRunThatDeliversItsEndWithinTheDelayStartsNoWorkflow() throws Exception {
    // A delay a loaded machine cannot outrun, then as long again past it.
    Duration delay = Duration.ofSeconds(2);
    deferred(delay);
    agentMayEnd.countDown();

    launchCounting("exec-quick");

    Thread.sleep(delay.multipliedBy(2).toMillis());
    assertThat(starts).hasValue(0);
  }

  @Test
  void aRunThatOutlivesTheDelayStartsItsWorkflowOnceAfterIt() throws Exception {
    deferred(DELAY);
    long start = System.nanoTime();

    launchCounting("exec-long");

    assertThat(starts).as("Create answers before the workflow starts").hasValue(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> starts.get() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DELAY);
    agentMayEnd.countDown();
    Thread.sleep(DELAY.multipliedBy(2).toMillis());
    assertThat(starts).hasValue(1);
  }

  @Test
  void aRunWhoseEndIsNotDeliveredStartsItsWorkflowAtOnce() {
    deferred(Duration.ofSeconds(10));
    recordedState = CallbackState.PENDING;
    agentMayEnd.countDown();

    launchCounting("exec-undelivered");

    await().atMost(Duration.ofSeconds(5)).until(() -> starts.get() == 1);
  }

  @Test
  void aFailedStartIsTriedAgainWhileTheAgentRuns() {
    deferred(DELAY);
    failingStarts = 2;

    launchCounting("exec-retried");

    await().atMost(Duration.ofSeconds(20)).until(() -> starts.get() == 3);
    assertThat(storeCalls).doesNotContain("abandonLeased");
  }

  @Test
  void aRunThatEndsUnrecordedWhenItsWorkflowCannotStartGoesBackToPending() {
    deferred(DELAY);
    failingStarts = Integer.MAX_VALUE;
    recordedState = null;
    agentMayEnd.countDown();

    launchCounting("exec-abandoned");

    await().atMost(Duration.ofSeconds(10)).until(() -> storeCalls.contains("abandonLeased"));
    assertThat(starts).hasValue(1);
  }

  /** Launches with a workflow start that counts its calls and fails the first failingStarts. */
  private void launchCounting(String id) {
    runs.claim(agent())
        .orElseThrow()
        .launch(
            execution(id),
            null,
            () -> {
              if (starts.incrementAndGet() <= failingStarts) {
                throw new ExecutionUnavailableException("Temporal unreachable", null);
              }
            });
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
  void aRunDeliversWithTheTokenCreateStored() throws Exception {
    CallbackToken token = CallbackToken.of(new byte[] {7, 7, 7});
    agentMayEnd.countDown();
    recordingMayEnd.countDown();

    runs.claim(agent()).orElseThrow().launch(execution("exec-token"), token, () -> {});

    assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(recordedWith).isEqualTo(token);
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
    runs.claim(agent()).orElseThrow().launch(execution(id), null, () -> {});
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

  private static void awaitLatch(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
