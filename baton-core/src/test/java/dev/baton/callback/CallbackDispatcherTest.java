package dev.baton.callback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which token a delivery completes the caller's activity with, against Temporal's test server: a
 * caller activity that hands out its real task token and waits.
 */
final class CallbackDispatcherTest {
  private static final CallbackToken STALE =
      CallbackToken.of("an earlier attempt's token".getBytes());

  private final List<String> storeCalls = new CopyOnWriteArrayList<>();
  private CallerHandOff callers;
  private WorkflowClient client;

  @BeforeEach
  void start() {
    callers = new CallerHandOff();
    client = callers.client;
  }

  @AfterEach
  void stop() {
    callers.close();
  }

  @Test
  void theTokenTheCallerHoldsIsDeliveredWithoutReadingItBack() throws Exception {
    CallbackToken token = CallbackToken.of(callers.token("held"));
    Execution completed = completed(token.fingerprint());

    CallbackStatus status = dispatcher(Optional.empty()).deliver(completed, token);

    assertThat(status.state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(client.newUntypedWorkflowStub("held").getResult(String.class)).isEqualTo("done");
    assertThat(storeCalls).doesNotContain("callbackToken");
  }

  @Test
  void aHeldTokenThatIsNoLongerTheExecutionsIsNotUsed() throws Exception {
    CallbackToken stored = CallbackToken.of(callers.token("rebound"));
    Execution completed = completed(stored.fingerprint());

    CallbackStatus status = dispatcher(Optional.of(stored)).deliver(completed, STALE);

    assertThat(status.state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(client.newUntypedWorkflowStub("rebound").getResult(String.class)).isEqualTo("done");
    assertThat(storeCalls).contains("callbackToken");
  }

  /**
   * The execution's workflow and a rebound caller's callback workflow may deliver the same token at
   * once: a second completion RPC would get NOT_FOUND and count a caller gone that is not.
   */
  @Test
  void twoDeliveriesOfOneTokenAtOnceMakeOneCompletionRpc() throws Exception {
    CallbackToken token = CallbackToken.of(callers.token("twice"));
    Execution completed = completed(token.fingerprint());
    List<DeliveryAttempt> attempts = new CopyOnWriteArrayList<>();
    CountDownLatch firstRecording = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CallbackDispatcher dispatcher =
        dispatcher(
            store(
                Optional.of(token),
                () -> {
                  firstRecording.countDown();
                  awaitQuietly(secondStarted);
                }),
            new CallbackObserver() {
              @Override
              public void delivery(Execution execution, DeliveryAttempt attempt, Duration rpc) {
                attempts.add(attempt);
              }

              @Override
              public void relayHeartbeat(String result) {}
            });
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<CallbackStatus> first = threads.submit(() -> dispatcher.deliver(completed, token));
      firstRecording.await();
      Future<CallbackStatus> second =
          threads.submit(
              () -> {
                secondStarted.countDown();
                return dispatcher.deliver(completed, token);
              });

      assertThat(first.get().state()).isEqualTo(CallbackState.DELIVERED);
      assertThat(second.get().state()).isEqualTo(CallbackState.DELIVERED);
    } finally {
      threads.shutdownNow();
    }
    assertThat(attempts).hasSize(1);
    assertThat(client.newUntypedWorkflowStub("twice").getResult(String.class)).isEqualTo("done");
  }

  private CallbackDispatcher dispatcher(Optional<CallbackToken> storedToken) {
    return dispatcher(store(storedToken, () -> {}), CallbackObserver.NONE);
  }

  private CallbackDispatcher dispatcher(ExecutionStore store, CallbackObserver observer) {
    return new CallbackDispatcher(
        store,
        callers.delivery(),
        CallbackSettings.defaults(client.getOptions().getNamespace()),
        observer,
        Clock.systemUTC());
  }

  /** Lets the second delivery start, then a moment more for it to reach the first's RPC. */
  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Execution completed(String fingerprint) {
    Instant now = Instant.now();
    return new Execution(
        "exec-1",
        now,
        Map.of(),
        2,
        new ExecutionSpec(
            "echo",
            "hi",
            new CallerIdentity("default", "caller", "run", "1", 1),
            Duration.ofMinutes(1),
            null,
            OnCallerGone.CANCEL,
            null),
        new ExecutionStatus(
            ExecutionPhase.COMPLETED,
            "done",
            null,
            null,
            now,
            now,
            CallbackStatus.pending(fingerprint)));
  }

  /**
   * A store that holds only {@code storedToken} and notes the methods called; a callback update
   * returns the execution with it applied, the first one after running {@code onFirstUpdate}.
   */
  private ExecutionStore store(Optional<CallbackToken> storedToken, Runnable onFirstUpdate) {
    AtomicBoolean updated = new AtomicBoolean();
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              storeCalls.add(method.getName());
              return switch (method.getName()) {
                case "callbackToken" -> storedToken;
                case "updateCallback" -> {
                  if (updated.compareAndSet(false, true)) {
                    onFirstUpdate.run();
                  }
                  Execution execution = completed("-");
                  yield new Execution(
                      execution.id(),
                      execution.createTime(),
                      execution.labels(),
                      execution.sequence() + 1,
                      execution.spec(),
                      execution.status().withCallback((CallbackStatus) args[1]));
                }
                default -> throw new UnsupportedOperationException(method.getName());
              };
            });
  }
}
