package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.callback.AgentResult;
import dev.baton.caller.TokenHolder.Captured;
import dev.baton.caller.TokenHolder.HolderWorkflow;
import dev.baton.caller.TokenHolder.HolderWorkflowImpl;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at Create with a caller identity present: damaged real task tokens, a token from
 * another namespace, no token, a storm of duplicate Creates; and Watch of an unknown execution.
 * Each ends in a final, recorded state within seconds, and the server keeps serving.
 */
class BadTokenTest {
  private static final String HOLDER_QUEUE = "token-holders";
  private static final String FOREIGN_NAMESPACE = "foreign-ns";

  /** How long after the agent ends its callback may stay undecided (never the SDK's ~60 s). */
  private static final Duration CALLBACK_DECIDED_WITHIN = Duration.ofSeconds(5);

  @TempDir static Path home;
  static TestBaton baton;
  static final TokenHolder.Tokens tokens = new TokenHolder.Tokens();
  static WorkflowClient foreignClient;
  static WorkerFactory foreignWorkers;

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .callerWorkers(
                (factory, client) -> {
                  Worker worker = factory.newWorker(HOLDER_QUEUE);
                  worker.registerWorkflowImplementationTypes(HolderWorkflowImpl.class);
                  worker.registerActivitiesImplementations(tokens);
                })
            .start();
    foreignClient =
        WorkflowClient.newInstance(
            baton.callerService,
            WorkflowClientOptions.newBuilder().setNamespace(FOREIGN_NAMESPACE).build());
    foreignWorkers = WorkerFactory.newInstance(foreignClient);
    Worker worker = foreignWorkers.newWorker(HOLDER_QUEUE);
    worker.registerWorkflowImplementationTypes(HolderWorkflowImpl.class);
    worker.registerActivitiesImplementations(tokens);
    foreignWorkers.start();
  }

  @AfterAll
  static void stop() {
    foreignWorkers.shutdownNow();
    baton.close();
  }

  @Test
  void truncatedTokenEndsWithFinalCallbackState() {
    Captured held = hold("truncated-token");
    byte[] truncated = Arrays.copyOf(held.token(), held.token().length / 2);

    AgentExecution done = runToFinalCallback(create(held, truncated, held.namespace()));

    assertFailedOrGone(done);
  }

  @Test
  void bitFlippedTokenEndsWithFinalCallbackState() {
    Captured held = hold("bit-flipped-token");
    byte[] flipped = held.token().clone();
    flipped[flipped.length / 2] ^= 0x01;

    AgentExecution done = runToFinalCallback(create(held, flipped, held.namespace()));

    assertFailedOrGone(done);
  }

  /**
   * A real server answers INVALID_ARGUMENT for a token used in another namespace (CALLBACK_FAILED);
   * Temporal's test server, embedded here, does not check the namespace and completes the token's
   * own activity. Either way the callback is decided at once and nothing reaches a wrong caller.
   */
  @Test
  void tokenOfAnotherNamespaceEndsWithFinalCallbackState() throws TimeoutException {
    Captured held = hold(foreignClient, "foreign-namespace-token");
    assertThat(held.namespace()).isEqualTo(FOREIGN_NAMESPACE);

    // The caller claims to be in Baton's namespace, but the token is from another one.
    AgentExecution done =
        runToFinalCallback(create(held, held.token(), baton.server.temporalNamespace()));

    assertDecidedForTokenOwner(done, holder(foreignClient, held.workflowId()));
  }

  @Test
  void tokenClaimedForAnotherNamespaceEndsWithFinalCallbackState() throws TimeoutException {
    Captured held = hold("claimed-foreign-namespace");

    AgentExecution done = runToFinalCallback(create(held, held.token(), FOREIGN_NAMESPACE));

    assertDecidedForTokenOwner(done, holder(baton.callerClient, held.workflowId()));
  }

  @Test
  void emptyTokenWithCallerRunsWithoutCallback() {
    Captured held = hold("empty-token");

    AgentExecution done = runToFinalCallback(create(held, new byte[0], held.namespace()));

    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getCallback().getState()).isEqualTo(CallbackState.NONE);
    assertThat(done.getStatus().getCallback().getAttempts()).isZero();
  }

  @Test
  void duplicateCreateStormMakesOneExecutionAndOneResult() throws Exception {
    // given fifty identical Creates for one live caller activity
    Captured held = hold("create-storm");
    CreateExecutionRequest request = request(held, held.token(), held.namespace(), "storm");
    int creates = 50;
    ExecutorService threads = Executors.newFixedThreadPool(creates);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> ids = new ArrayList<>();
    try {
      for (int i = 0; i < creates; i++) {
        ids.add(
            threads.submit(
                () -> {
                  go.await();
                  return baton.api.create(request).getMetadata().getId();
                }));
      }

      // when they arrive at once
      go.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> id : ids) {
        distinct.add(id.get(60, TimeUnit.SECONDS));
      }

      // then all name one execution, and the caller gets one result
      assertThat(distinct).hasSize(1);
      assertThat(baton.executionsOf("create-storm")).hasSize(1);
      AgentResult result =
          WorkflowStub.fromTyped(holder(baton.callerClient, "create-storm"))
              .getResult(30, TimeUnit.SECONDS, AgentResult.class);
      assertThat(result.output()).isEqualTo("STORM");
      assertThat(result.executionId()).isEqualTo(distinct.iterator().next());
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void watchOfUnknownExecutionIsNotFound() {
    StatusRuntimeException unknown =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                baton
                    .api
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .watch(
                        WatchExecutionRequest.newBuilder()
                            .setId("01ARZ3NDEKTSV4RRFFQ69G5FAV")
                            .build())
                    .hasNext());
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getStatus().getDescription()).contains("01ARZ3NDEKTSV4RRFFQ69G5FAV");

    StatusRuntimeException malformed =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                baton
                    .api
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .watch(WatchExecutionRequest.newBuilder().setId("no-such-id").build())
                    .hasNext());
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void serverKeepsServingCallersBesideBadTokens() {
    Captured held = hold("bad-token-beside-good-caller");
    AgentExecution bad =
        create(held, Arrays.copyOf(held.token(), held.token().length - 3), held.namespace());

    List<AgentResult> results =
        baton.caller("beside-bad-token").call(List.of(AgentCall.of("shout", "still here")), 0);

    assertThat(results.get(0).output()).isEqualTo("STILL HERE");
    assertFailedOrGone(runToFinalCallback(bad));
  }

  /** The callback is final; if it was delivered, the token's own caller got exactly this result. */
  private static void assertDecidedForTokenOwner(AgentExecution done, HolderWorkflow owner)
      throws TimeoutException {
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    CallbackState state = done.getStatus().getCallback().getState();
    assertThat(state)
        .isIn(CallbackState.DELIVERED, CallbackState.CALLBACK_FAILED, CallbackState.CALLER_GONE);
    if (state == CallbackState.DELIVERED) {
      AgentResult received =
          WorkflowStub.fromTyped(owner).getResult(10, TimeUnit.SECONDS, AgentResult.class);
      assertThat(received.executionId()).isEqualTo(done.getMetadata().getId());
    } else {
      assertThat(done.getStatus().getCallback().getLastError()).isNotBlank();
    }
  }

  private static void assertFailedOrGone(AgentExecution done) {
    assertThat(done.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(done.getStatus().getCallback().getState())
        .isIn(CallbackState.CALLBACK_FAILED, CallbackState.CALLER_GONE);
    assertThat(done.getStatus().getCallback().getLastError()).isNotBlank();
  }

  /** Waits for the agent to end, then for the callback to be decided within a few seconds. */
  private static AgentExecution runToFinalCallback(AgentExecution created) {
    String id = created.getMetadata().getId();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                baton.get(id).getStatus().getPhase().getNumber() >= ExecutionPhase.COMPLETED_VALUE);
    return await()
        .atMost(CALLBACK_DECIDED_WITHIN)
        .until(
            () -> baton.get(id),
            e -> e.getStatus().getCallback().getState() != CallbackState.CALLBACK_PENDING);
  }

  private static AgentExecution create(Captured held, byte[] token, String namespace) {
    return baton.api.create(request(held, token, namespace, held.workflowId()));
  }

  private static CreateExecutionRequest request(
      Captured held, byte[] token, String namespace, String message) {
    return CreateExecutionRequest.newBuilder()
        .setSpec(
            ExecutionSpec.newBuilder()
                .setAgent("shout")
                .setMessage(message)
                .setCallbackToken(ByteString.copyFrom(token))
                .setCaller(
                    CallerIdentity.newBuilder()
                        .setNamespace(namespace)
                        .setWorkflowId(held.workflowId())
                        .setRunId(held.runId())
                        .setActivityId(held.activityId())
                        .setAttempt(held.attempt())))
        .build();
  }

  private static Captured hold(String workflowId) {
    return hold(baton.callerClient, workflowId);
  }

  /** Starts a caller whose activity stays open, and returns its real token. */
  private static Captured hold(WorkflowClient client, String workflowId) {
    HolderWorkflow holder =
        client.newWorkflowStub(
            HolderWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(HOLDER_QUEUE)
                .build());
    WorkflowClient.start(holder::hold);
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> tokens.of(workflowId), o -> o.isPresent())
        .get();
  }

  private static HolderWorkflow holder(WorkflowClient client, String workflowId) {
    return client.newWorkflowStub(HolderWorkflow.class, workflowId);
  }
}
