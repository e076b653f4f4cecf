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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which token a delivery completes the caller's activity with, against Temporal's test server: a
 * caller activity that hands out its real task token and waits.
 */
final class CallbackDispatcherTest {
  private static final String QUEUE = "callers";
  private static final CallbackToken STALE =
      CallbackToken.of("an earlier attempt's token".getBytes());

  private final BlockingQueue<byte[]> tokens = new LinkedBlockingQueue<>();
  private final List<String> storeCalls = new CopyOnWriteArrayList<>();
  private TestWorkflowEnvironment env;
  private WorkflowClient client;

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
              return null;
            });
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theTokenTheCallerHoldsIsDeliveredWithoutReadingItBack() throws Exception {
    CallbackToken token = CallbackToken.of(handedOffToken("held"));
    Execution completed = completed(token.fingerprint());

    CallbackStatus status = dispatcher(Optional.empty()).deliver(completed, token);

    assertThat(status.state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(client.newUntypedWorkflowStub("held").getResult(String.class)).isEqualTo("done");
    assertThat(storeCalls).doesNotContain("callbackToken");
  }

  @Test
  void aHeldTokenThatIsNoLongerTheExecutionsIsNotUsed() throws Exception {
    CallbackToken stored = CallbackToken.of(handedOffToken("rebound"));
    Execution completed = completed(stored.fingerprint());

    CallbackStatus status = dispatcher(Optional.of(stored)).deliver(completed, STALE);

    assertThat(status.state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(client.newUntypedWorkflowStub("rebound").getResult(String.class)).isEqualTo("done");
    assertThat(storeCalls).contains("callbackToken");
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

  private CallbackDispatcher dispatcher(Optional<CallbackToken> storedToken) {
    return new CallbackDispatcher(
        store(storedToken),
        new CallbackDelivery(
            env.getWorkflowServiceStubs(),
            client.getOptions().getDataConverter(),
            Duration.ofSeconds(10),
            "test"),
        CallbackSettings.defaults(client.getOptions().getNamespace()),
        CallbackObserver.NONE,
        Clock.systemUTC());
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
   * returns the execution with it applied.
   */
  private ExecutionStore store(Optional<CallbackToken> storedToken) {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              storeCalls.add(method.getName());
              return switch (method.getName()) {
                case "callbackToken" -> storedToken;
                case "updateCallback" -> {
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

  @ActivityInterface
  public interface HandOff {
    AgentResult handOff();
  }

  @WorkflowInterface
  public interface Caller {
    @WorkflowMethod
    String call();
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
    public String call() {
      return handOff.handOff().output();
    }
  }
}
