package dev.baton.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Create that repeats a caller identity or request id is answered with the existing execution
 * when it repeats the request, and refused with ALREADY_EXISTS when it asks for something else.
 */
class RepeatedCreateTest {
  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  @BeforeAll
  static void start() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    // Agents that wait, so that every execution is still running when it is created again.
    for (String name : new String[] {"slow", "other"}) {
      Files.writeString(
          agents.resolve(name + ".yaml"),
          "name: " + name + "\nrunner: echo\nsettings:\n  delay: 30s\n");
    }
    server = BatonServer.start(ServerConfig.builder(home).port(0).embeddedTemporalPort(0).build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void aRetryOfTheSameRequestGetsTheSameExecution() {
    String requestId = UUID.randomUUID().toString();
    CreateExecutionRequest request = byRequestId(requestId, spec().setTimeout(hours(1))).build();

    AgentExecution first = api.create(request);
    AgentExecution again = api.create(request);
    // Leaving out what the server filled in is still the same request.
    AgentExecution withoutTimeout = api.create(byRequestId(requestId, spec()).build());

    assertThat(again.getMetadata().getId()).isEqualTo(first.getMetadata().getId());
    assertThat(withoutTimeout.getMetadata().getId()).isEqualTo(first.getMetadata().getId());
  }

  @Test
  void aDifferentMessageUnderAUsedRequestIdIsRefusedAndNothingChanges() {
    String requestId = UUID.randomUUID().toString();
    AgentExecution first = api.create(byRequestId(requestId, spec()).build());
    int executions = executionCount();

    StatusRuntimeException e = refused(byRequestId(requestId, spec().setMessage("something else")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "request_id '"
                + requestId
                + "' already created execution "
                + first.getMetadata().getId()
                + " with a different request (another message); a retry must repeat the request,"
                + " and a new request needs a new request_id");
    assertThat(executionCount()).isEqualTo(executions);
    assertThat(get(first).getSpec().getMessage()).isEqualTo("summarise the report");
  }

  @Test
  void anotherAgentLabelsOrTimeoutUnderAUsedRequestIdAreRefused() {
    String requestId = UUID.randomUUID().toString();
    api.create(byRequestId(requestId, spec().setTimeout(hours(1))).putLabels("team", "a").build());

    assertThat(refused(byRequestId(requestId, spec().setAgent("other")).putLabels("team", "a")))
        .hasMessageContaining("(agent 'other', stored 'slow')");
    assertThat(refused(byRequestId(requestId, spec()).putLabels("team", "b")))
        .hasMessageContaining("(labels {team=b}, stored {team=a})");
    assertThat(refused(byRequestId(requestId, spec().setTimeout(hours(2))).putLabels("team", "a")))
        .hasMessageContaining("(timeout 2h, stored 1h)");
  }

  @Test
  void aCallerActivityThatSendsAnotherRequestIsRefusedAndItsTokenIsNotRebound() {
    CallerIdentity caller =
        CallerIdentity.newBuilder()
            .setNamespace("default")
            .setWorkflowId("wf-" + UUID.randomUUID())
            .setRunId("run")
            .setActivityId("7")
            .setAttempt(1)
            .build();
    AgentExecution first =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(spec().setCaller(caller).setCallbackToken(token("first")))
                .build());

    StatusRuntimeException e =
        refused(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    spec()
                        .setMessage("another question")
                        .setCaller(caller.toBuilder().setAttempt(2))
                        .setCallbackToken(token("second"))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(e.getStatus().getDescription())
        .startsWith(
            "caller activity '7' of workflow '"
                + caller.getWorkflowId()
                + "' already created execution "
                + first.getMetadata().getId())
        .endsWith("a new request needs a new caller activity");
    assertThat(get(first).getStatus().getCallback().getTokenFingerprint())
        .isEqualTo(first.getStatus().getCallback().getTokenFingerprint());
  }

  private static ExecutionSpec.Builder spec() {
    return ExecutionSpec.newBuilder().setAgent("slow").setMessage("summarise the report");
  }

  private static CreateExecutionRequest.Builder byRequestId(
      String requestId, ExecutionSpec.Builder spec) {
    return CreateExecutionRequest.newBuilder().setRequestId(requestId).setSpec(spec);
  }

  private static Duration hours(int hours) {
    return Duration.newBuilder().setSeconds(hours * 3600L).build();
  }

  private static ByteString token(String text) {
    return ByteString.copyFromUtf8("token-" + text + "-" + UUID.randomUUID());
  }

  private static StatusRuntimeException refused(CreateExecutionRequest.Builder request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> api.create(request.build()));
    assertThat(e).as("expected ALREADY_EXISTS").isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    return e;
  }

  private static AgentExecution get(AgentExecution execution) {
    return api.get(GetExecutionRequest.newBuilder().setId(execution.getMetadata().getId()).build());
  }

  private static int executionCount() {
    return api.list(ListExecutionsRequest.newBuilder().setPageSize(100).build())
        .getExecutionsCount();
  }
}
