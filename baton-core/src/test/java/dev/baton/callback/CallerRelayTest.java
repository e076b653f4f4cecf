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
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
  private static final String QUEUE = "callers";

  private final BlockingQueue<byte[]> tokens = new LinkedBlockingQueue<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private final List<String> readingThreads = new CopyOnWriteArrayList<>();
  private final List<String> heartbeats = new CopyOnWriteArrayList<>();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private CallerRelay relay;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(CallerImpl.class);
    worker.registerActivitiesImplementations(
        (HandOff)
            () -> {
              tokens.add(Activity.getExecutionContext().getTaskToken());
              Activity.getExecutionContext().doNotCompleteOnReturn();
            });
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    if (relay != null) {
      relay.close();
    }
    env.close();
  }

  @Test
  void theExecutionIsReadOnTheRelaysThreadAndItsCallerHeartbeated() throws Exception {
    CallbackToken token = CallbackToken.of(handedOffToken("relayed"));
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
    CallbackToken token = CallbackToken.of(handedOffToken("retried"));
    AtomicInteger failures = new AtomicInteger(1);
    relay = relay(Map.of("exec-1", token), failures, null);

    RunMonitor.Handle handle = relay.open(invocation("exec-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> heartbeats.contains("ok"));
    handle.close();

    assertThat(failures).hasValue(0);
    assertThat(reads).containsOnly("exec-1").hasSizeGreaterThanOrEqualTo(2);
  }

  /** Starts a caller workflow and returns the task token its activity handed off. */
  private byte[] handedOffToken(String workflowId) throws InterruptedException {
    WorkflowClient.start(
        client.newWorkflowStub(
                Caller.class,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build())
            ::call);
    byte[] token = tokens.poll(30, TimeUnit.SECONDS);
    assertThat(token).as("the caller's activity handed off its token").isNotNull();
    return token;
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
        new CallbackDelivery(
            env.getWorkflowServiceStubs(),
            client.getOptions().getDataConverter(),
            Duration.ofSeconds(10),
            "test"),
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

  @ActivityInterface
  public interface HandOff {
    void handOff();
  }

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    void call();
  }

  public static final class CallerImpl implements Caller {
    private final HandOff handOff =
        Workflow.newActivityStub(
            HandOff.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

    @Override
    public void call() {
      handOff.handOff();
    }
  }
}
