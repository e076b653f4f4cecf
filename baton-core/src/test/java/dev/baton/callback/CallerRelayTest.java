package dev.baton.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.AgentInvocation;
import dev.baton.agent.RunMonitor;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.ExecutionStatus;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.OnCallerGone;
import io.temporal.client.WorkflowClient;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When the relay reads an execution and heartbeats its caller, against Temporal's test server: a
 * caller activity that hands out its real task token and waits.
 */
@Timeout(60)
final class CallerRelayTest {

  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<String> readingThreads = new CopyOnWriteArrayList<>();
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private CallerHandOff callers;
  private WorkflowClient client;
  private CallerRelay relay;

  @BeforeEach
  void start() {
    callers = new CallerHandOff();
    client = callers.client;
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
    callers.close();
  }

  @Test
  void theExecutionIsReadOnTheRelaysThreadAndItsCallerHeartbeated() throws Exception {
    CallbackToken token = CallbackToken.of(callers.token("relayed"));
    relay = relay(Map.of("exec-1", token), new AtomicInteger(), null);

    RunMonitor.Handle handle = relay.open(invocation("exec-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.contains("ok"));
    handle.close();

    assertThat(readingThreads).isNotEmpty().doesNotContain(Thread.currentThread().getName());
  }

  @Test
  void aRunThatEndsBeforeItsFirstBeatCostsNoRead() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    relay = relay(Map.of(), new AtomicInteger(), busy);
    // The relay's one thread reads for "exec-busy" until the latch opens.
    RunMonitor.Handle blocking = relay.open(invocation("exec-busy"));
    await().atMost(Duration.ofSeconds(10)).until(() -> reads.contains("exec-busy"));

    relay.open(invocation("exec-quick")).close();
    busy.countDown();
    blocking.close();
    RunMonitor.Handle after = relay.open(invocation("exec-after"));
    await().atMost(Duration.ofSeconds(10)).until(() -> reads.contains("exec-after"));
    after.close();

    assertThat(reads).doesNotContain("exec-quick");
  }

  @Test
  void aFirstBeatThatCannotReadTheStoreTriesAgain() throws Exception {
    CallbackToken token = CallbackToken.of(callers.token("retried"));
    AtomicInteger failures = new AtomicInteger(1);
    relay = relay(Map.of("exec-1", token), failures, null);

    RunMonitor.Handle handle = relay.open(invocation("exec-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.contains("ok"));
    handle.close();

    assertThat(failures).hasValue(0);
    assertThat(reads).containsOnly("exec-1").hasSizeGreaterThanOrEqualTo(2);
  }

  /**
   * A relay with one thread over a store that holds a pending execution for each of {@code tokens}'
   * ids; its reads fail while {@code failures} is positive, and wait for {@code busy} when given.
   */
  private CallerRelay relay(
      Map<String, CallbackToken> tokens, AtomicInteger failures, CountDownLatch busy) {
    ExecutionStore store =
        (ExecutionStore)
            Proxy.newProxyInstance(
                ExecutionStore.class.getClassLoader(),
                new Class<?>[] {ExecutionStore.class},
                (proxy, method, args) -> {
                  String id = (String) args[0];
                  return switch (method.getName()) {
                    case "find" -> {
                      reads.add(id);
                      readingThreads.add(Thread.currentThread().getName());
                      if (busy != null) {
                        busy.await();
                      }
                      if (failures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                        throw new IllegalStateException("store unreachable");
                      }
                      yield Optional.ofNullable(tokens.get(id))
                          .map(token -> pending(id, token.fingerprint()));
                    }
                    case "callbackToken" -> Optional.ofNullable(tokens.get(id));
                    default -> throw new UnsupportedOperationException(method.getName());
                  };
                });
    return new CallerRelay(
        store,
        callers.delivery(),
        client.getOptions().getNamespace(),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        new CallbackObserver() {
          @Override
          public void delivery(Execution execution, DeliveryAttempt attempt, Duration rpc) {}

          @Override
          public void relayHeartbeat(String result) {
            heartbeats.add(result);
          }
        },
        Clock.systemUTC(),
        1);
  }

  private static AgentInvocation invocation(String executionId) {
    return new AgentInvocation(executionId, "echo", "hi", Duration.ofMinutes(1), null, List.of());
  }

  private static Execution pending(String id, String fingerprint) {
    return new Execution(
        id,
        Instant.now(),
        Map.of(),
        1,
        new ExecutionSpec(
            "echo",
            "hi",
            new CallerIdentity("default", "caller", "run", "1", 1),
            Duration.ofMinutes(1),
            null,
            OnCallerGone.CANCEL,
            null),
        ExecutionStatus.pending(CallbackStatus.pending(fingerprint)));
  }
}
