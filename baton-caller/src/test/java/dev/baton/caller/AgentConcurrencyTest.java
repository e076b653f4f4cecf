package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.callback.AgentExecutionFailure;
import dev.baton.callback.AgentResult;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import dev.baton.execution.ExecutionError;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.server.limits.ServerLimits;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent with {@code maxConcurrent: 1}: further executions are accepted, wait PENDING (their
 * callers heartbeated) and start in creation order as slots free; a queued execution can be
 * cancelled; servers sharing a database share the limit.
 */
class AgentConcurrencyTest {
  /** Runs until the file named by its message exists, then reports it. */
  private static final String GATE =
      "f=$(cat); while [ ! -e \"$f\" ]; do sleep 0.1; done; echo \"passed $f\"";

  @TempDir static Path home;
  @TempDir static Path gateFiles;
  static Gates gates;
  static TestBaton baton;

  @BeforeAll
  static void start() {
    gates = new Gates(gateFiles);
    baton =
        TestBaton.builder(home)
            .config(config -> config.relayInterval(Duration.ofMillis(500)))
            .agent("gate", GATE, "5m", "maxConcurrent: 1")
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void queuedExecutionsStayPendingAndStartInCreationOrder() {
    // given three executions of an agent that runs one at a time
    String first = create("order-1");
    String second = create("order-2");
    String third = create("order-3");
    awaitPhase(first, ExecutionPhase.IN_PROGRESS);

    // then the others wait PENDING, even when the last one could finish at once
    gates.open("order-3");
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                phase(second) == ExecutionPhase.PENDING && phase(third) == ExecutionPhase.PENDING);

    // when the first ends, the second (created earlier) starts, not the third
    gates.open("order-1");
    awaitPhase(second, ExecutionPhase.IN_PROGRESS);
    assertThat(phase(third)).isEqualTo(ExecutionPhase.PENDING);
    gates.open("order-2");
    awaitPhase(third, ExecutionPhase.COMPLETED);

    AgentExecution one = baton.get(first);
    AgentExecution two = baton.get(second);
    AgentExecution three = baton.get(third);
    assertThat(seconds(two.getStatus().getStartTime()))
        .isGreaterThanOrEqualTo(seconds(one.getStatus().getEndTime()));
    assertThat(seconds(three.getStatus().getStartTime()))
        .isGreaterThanOrEqualTo(seconds(two.getStatus().getEndTime()));
    assertThat(three.getStatus().getOutput()).contains("order-3");
  }

  @Test
  void queuedCallerWithHeartbeatTimeoutIsKeptAliveAndGetsTheResult() throws Exception {
    // given a running execution holding the only slot
    String blocker = create("alive-blocker");
    awaitPhase(blocker, ExecutionPhase.IN_PROGRESS);

    // when a caller that times out after 2 s without heartbeat calls the agent
    ConfiguredCallerWorkflow caller = baton.configuredCaller("queued-heartbeat");
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("gate", gates.path("alive-caller")),
            CallSettings.oneAttempt(Duration.ofMinutes(2))
                .withHeartbeatTimeout(Duration.ofSeconds(2)));
    gates.open("alive-caller");

    // then it waits queued well past its heartbeat timeout, told so in the heartbeat details
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> baton.heartbeatDetails("queued-heartbeat").orElse("").startsWith("queued"));
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> !call.isDone());
    String id = baton.executionsOf("queued-heartbeat").get(0).getMetadata().getId();
    assertThat(phase(id)).isEqualTo(ExecutionPhase.PENDING);

    // and once the slot frees it runs and the caller gets the agent's result
    gates.open("alive-blocker");
    AgentResult result = call.get(30, TimeUnit.SECONDS);
    assertThat(result.output()).contains("alive-caller");
  }

  @Test
  void cancellingAQueuedExecutionReachesItsCaller() {
    // given a caller whose execution waits for the slot
    String blocker = create("cancel-blocker");
    awaitPhase(blocker, ExecutionPhase.IN_PROGRESS);
    ConfiguredCallerWorkflow caller = baton.configuredCaller("queued-cancel");
    CompletableFuture<AgentResult> call =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("gate", gates.path("cancel-caller")),
            CallSettings.oneAttempt(Duration.ofMinutes(2)));
    AgentExecution queued =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> baton.executionsOf("queued-cancel"), list -> list.size() == 1)
            .get(0);
    String id = queued.getMetadata().getId();
    assertThat(queued.getStatus().getPhase()).isEqualTo(ExecutionPhase.PENDING);

    // when it is cancelled through the API
    baton.api.cancel(
        CancelExecutionRequest.newBuilder().setId(id).setReason("not needed any more").build());

    // then it ends CANCELLED without running, and the caller hears why
    Throwable thrown = catchThrowable(() -> call.get(20, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isInstanceOf(WorkflowFailedException.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause().getCause();
    assertThat(failure.getType()).isEqualTo(AgentExecutionFailure.TYPE);
    assertThat(failure.getOriginalMessage()).isEqualTo("not needed any more");
    AgentExecution cancelled = baton.settled(id);
    assertThat(cancelled.getStatus().getPhase()).isEqualTo(ExecutionPhase.CANCELLED);
    assertThat(cancelled.getStatus().getError().getType()).isEqualTo(ExecutionError.CANCELLED);
    assertThat(cancelled.getStatus().hasStartTime()).isFalse();
    assertThat(cancelled.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    gates.open("cancel-blocker");
    awaitPhase(blocker, ExecutionPhase.COMPLETED);
  }

  @Test
  void serversSharingADatabaseShareTheLimit() throws Exception {
    // given a second server on the same database and Temporal
    try (BatonServer second =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .metricsPort(0)
                .temporalAddress(baton.server.temporalTarget())
                .temporalNamespace(baton.server.temporalNamespace())
                .serverLimits(ServerLimits.defaults())
                .build())) {
      // when executions are created through both
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(create("shared-" + i));
      }
      // then at most one runs at any time while they finish one by one
      AtomicInteger mostRunning = new AtomicInteger();
      for (int i = 0; i < 4; i++) {
        String id = ids.get(i);
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  mostRunning.accumulateAndGet(running(ids), Math::max);
                  return phase(id) == ExecutionPhase.IN_PROGRESS;
                });
        gates.open("shared-" + i);
        awaitPhase(id, ExecutionPhase.COMPLETED);
      }
      assertThat(mostRunning.get()).isEqualTo(1);
      assertThat(second.store().find(ids.get(3)).orElseThrow().phase())
          .isEqualTo(dev.baton.execution.ExecutionPhase.COMPLETED);
    }
  }

  private static int running(List<String> ids) {
    return (int) ids.stream().filter(id -> phase(id) == ExecutionPhase.IN_PROGRESS).count();
  }

  private static String create(String gateName) {
    return baton
        .api
        .create(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder().setAgent("gate").setMessage(gates.path(gateName)))
                .build())
        .getMetadata()
        .getId();
  }

  private static ExecutionPhase phase(String id) {
    return baton.get(id).getStatus().getPhase();
  }

  private static void awaitPhase(String id, ExecutionPhase phase) {
    await().atMost(Duration.ofSeconds(30)).until(() -> phase(id) == phase);
  }

  private static double seconds(com.google.protobuf.Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }
}
