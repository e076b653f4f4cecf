package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.callback.AgentExecutionFailure;
import dev.baton.callback.AgentResult;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.RecordingAgentActivities;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handshake end to end: caller SDK, gRPC, store, Temporal, command agents. */
class HandshakeEndToEndTest {
  @TempDir static Path home;
  static TestBaton baton;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  @BeforeAll
  static void start() {
    baton = TestBaton.start(home);
    channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + baton.server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    baton.close();
  }

  @Test
  void completesCallerWithAgentOutput() {
    List<AgentResult> results =
        baton.caller("happy-path").call(List.of(AgentCall.of("shout", "hello baton")), 0);

    AgentResult result = results.get(0);
    assertThat(result.output()).isEqualTo("HELLO BATON");
    assertThat(result.phase()).isEqualTo("COMPLETED");
    assertThat(result.agent()).isEqualTo("shout");
    assertThat(result.truncated()).isFalse();
    AgentExecution stored = get(result.executionId());
    assertThat(stored.getStatus().getOutput()).isEqualTo("HELLO BATON");
    AgentExecution settled = baton.settled(result.executionId());
    assertThat(settled.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    assertThat(settled.getSpec().getCallbackToken()).isEmpty();
    assertThat(settled.getStatus().getCallback().getTokenFingerprint()).hasSize(12);
  }

  /**
   * The eager run records and delivers, before any workflow of the execution exists: with the
   * default workflow delay (ADR 0003) a quick agent's execution needs none.
   */
  @Test
  void theRunnerRecordsTheEndAndDeliversItBeforeTheWorkflowTakesItsNextStep() {
    AgentResult result =
        baton.caller("recorded-eagerly").call(List.of(AgentCall.of("shout", "quick")), 0).get(0);

    AgentExecution stored = baton.settled(result.executionId());
    assertThat(stored.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(stored.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    assertThat(stored.getStatus().getCallback().getAttempts()).isEqualTo(1);
    assertThat(catchThrowable(() -> baton.executionHistory(result.executionId())))
        .as("no workflow: " + ExecutionIds.workflowId(result.executionId()))
        .hasStackTraceContaining("NOT_FOUND");
  }

  @Test
  void aRetriedRunnerAttemptReturnsTheRecordedOutputWithoutRunningTheAgentAgain() {
    AgentExecution created =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("shout").setMessage("only once"))
                .build());
    String id = created.getMetadata().getId();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> get(id).getStatus().getPhase() == ExecutionPhase.COMPLETED);
    RecordingAgentActivities retried =
        new RecordingAgentActivities(
            invocation -> {
              throw new AssertionError("the agent ran again");
            },
            baton.server.store(),
            (executionId, outcome, knownToken) -> {
              throw new AssertionError("recorded again");
            });

    AgentOutput output =
        retried.run(
            new AgentInvocation(id, "shout", "only once", Duration.ofMinutes(1), null, List.of()));

    assertThat(output.output()).isEqualTo("ONLY ONCE");
    assertThat(output.recordedCallback()).isEqualTo(dev.baton.execution.CallbackState.NONE);
  }

  @Test
  void agentFailureReachesCallerAsAgentExecutionFailed() {
    Throwable thrown =
        catchThrowable(
            () -> baton.caller("agent-fails").call(List.of(AgentCall.of("fail", "x")), 0));

    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause()).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause();
    assertThat(failure.getType()).isEqualTo(AgentExecutionFailure.TYPE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("the model refused: quota exceeded")
        .contains("code 3");
    AgentExecutionFailure details = failure.getDetails().get(AgentExecutionFailure.class);
    assertThat(details.errorType()).isEqualTo("AgentFailed");
  }

  @Test
  void executionWithoutTokenCompletesAndAttemptsNoCallback() {
    AgentExecution created =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("shout").setMessage("no token"))
                .build());

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                get(created.getMetadata().getId()).getStatus().getPhase()
                    == ExecutionPhase.COMPLETED);
    AgentExecution done = get(created.getMetadata().getId());
    assertThat(done.getStatus().getOutput()).isEqualTo("NO TOKEN");
    assertThat(done.getStatus().getCallback().getState()).isEqualTo(CallbackState.NONE);
    assertThat(done.getStatus().getCallback().getAttempts()).isZero();
  }

  @Test
  void callerThatTimedOutIsRecordedAsCallerGone() {
    Throwable thrown =
        catchThrowable(
            () ->
                baton.caller("caller-times-out").call(List.of(AgentCall.of("slow", "late")), 1500));
    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause().getCause()).isInstanceOf(TimeoutFailure.class);

    AgentExecution execution = onlyExecutionOf("caller-times-out");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get(execution.getMetadata().getId()).getStatus().getCallback().getState()
                    == CallbackState.CALLER_GONE);
    assertThat(get(execution.getMetadata().getId()).getStatus().getPhase())
        .isEqualTo(ExecutionPhase.COMPLETED);
    // The server keeps serving other callers.
    assertThat(
            baton
                .caller("after-caller-gone")
                .call(List.of(AgentCall.of("shout", "still here")), 0)
                .get(0)
                .output())
        .isEqualTo("STILL HERE");
  }

  @Test
  void corruptTokenIsRecordedAsFailedDeliveryWithinSeconds() {
    AgentExecution created =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder()
                        .setAgent("shout")
                        .setMessage("corrupt")
                        .setCallbackToken(ByteString.copyFromUtf8("definitely-not-a-task-token"))
                        .setCaller(
                            CallerIdentity.newBuilder()
                                .setNamespace("default")
                                .setWorkflowId("corrupt-token")
                                .setRunId("run")
                                .setActivityId("1")
                                .setAttempt(1)))
                .build());

    await()
        .atMost(Duration.ofSeconds(8))
        .until(
            () -> isFinal(get(created.getMetadata().getId()).getStatus().getCallback().getState()));
    AgentExecution done = get(created.getMetadata().getId());
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getCallback().getState())
        .isIn(CallbackState.CALLBACK_FAILED, CallbackState.CALLER_GONE);
    assertThat(done.getStatus().getCallback().getLastError()).isNotBlank();
    Duration took =
        Duration.between(
            java.time.Instant.ofEpochSecond(done.getStatus().getEndTime().getSeconds()),
            java.time.Instant.now());
    assertThat(took).isLessThan(Duration.ofSeconds(8));
  }

  @Test
  void tenConcurrentCallersEachGetTheirOwnResult() {
    List<CompletableFuture<List<AgentResult>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      CallerWorkflow caller = baton.caller("concurrent-" + i);
      calls.add(
          WorkflowClient.execute(caller::call, List.of(AgentCall.of("shout", "caller " + i)), 0L));
    }

    List<String> outputs = calls.stream().map(f -> f.join().get(0).output()).toList();
    assertThat(outputs)
        .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "CALLER " + i).toList());
  }

  @Test
  void twoParallelCallsFromOneWorkflowGetTheirOwnResults() {
    List<AgentResult> results =
        baton
            .caller("parallel")
            .call(List.of(AgentCall.of("shout", "one"), AgentCall.of("shout", "two")), 0);

    assertThat(results).extracting(AgentResult::output).containsExactly("ONE", "TWO");
    assertThat(results.get(0).executionId()).isNotEqualTo(results.get(1).executionId());
  }

  @Test
  void watchSeesEveryPhaseInOrderAndEnds() {
    AgentExecution created =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("slow").setMessage("watch me"))
                .build());

    Iterator<WatchExecutionResponse> stream =
        api.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
            .watch(WatchExecutionRequest.newBuilder().setId(created.getMetadata().getId()).build());
    List<AgentExecution> updates = new ArrayList<>();
    stream.forEachRemaining(r -> updates.add(r.getExecution()));

    assertThat(updates).isNotEmpty();
    List<Long> sequences = updates.stream().map(u -> u.getMetadata().getSequence()).toList();
    for (int i = 1; i < sequences.size(); i++) {
      assertThat(sequences.get(i)).isEqualTo(sequences.get(i - 1) + 1);
    }
    List<ExecutionPhase> phases =
        updates.stream().map(u -> u.getStatus().getPhase()).distinct().toList();
    // The stream starts at the current state (PENDING or already IN_PROGRESS), then every change.
    assertThat(phases).endsWith(ExecutionPhase.IN_PROGRESS, ExecutionPhase.COMPLETED);
    assertThat(
            List.of(ExecutionPhase.PENDING, ExecutionPhase.IN_PROGRESS, ExecutionPhase.COMPLETED))
        .endsWith(phases.toArray(ExecutionPhase[]::new));
    assertThat(updates.get(updates.size() - 1).getStatus().getOutput()).isEqualTo("watch me");
  }

  private static boolean isFinal(CallbackState state) {
    return state != CallbackState.CALLBACK_PENDING;
  }

  static AgentExecution get(String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build());
  }

  private static AgentExecution onlyExecutionOf(String callerWorkflowId) {
    return api
        .list(dev.baton.api.v1.ListExecutionsRequest.newBuilder().setPageSize(1000).build())
        .getExecutionsList()
        .stream()
        .filter(e -> e.getSpec().getCaller().getWorkflowId().equals(callerWorkflowId))
        .findFirst()
        .orElseThrow();
  }
}
