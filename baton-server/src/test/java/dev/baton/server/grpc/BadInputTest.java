package dev.baton.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests get a clear status and message, and nothing is stored or started. */
class BadInputTest {
  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  @BeforeAll
  static void start() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .limits(
                    new dev.baton.execution.ExecutionLimits(
                        1024, 8 * 1024, java.time.Duration.ofDays(1), 4))
                .build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(api.list(ListExecutionsRequest.getDefaultInstance()).getExecutionsList()).isEmpty();
  }

  @Test
  void emptyMessageIsInvalid() {
    assertRejected(
        create(spec().setMessage("  ")),
        Status.Code.INVALID_ARGUMENT,
        "spec.message: must not be empty");
  }

  @Test
  void overlongCancelReasonIsInvalid() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                api.cancel(
                    dev.baton.api.v1.CancelExecutionRequest.newBuilder()
                        .setId("01JD3Z8Q4W5X6Y7Z8A9B0C1D2E")
                        .setReason("x".repeat(1001))
                        .build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("reason: must be at most 1000 characters, got 1001");
  }

  @Test
  void hugeIdIsInvalidAndTheMessageStaysShort() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> api.get(GetExecutionRequest.newBuilder().setId("\u00e9".repeat(20_000)).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).endsWith("...' (20000 characters)");
  }

  @Test
  void unknownAgentIsNotFoundAndListsKnownAgents() {
    assertRejected(
        create(spec().setAgent("nope")),
        Status.Code.NOT_FOUND,
        "no agent named 'nope'; known agents: echo");
  }

  @Test
  void missingAgentIsInvalid() {
    assertRejected(create(spec().setAgent("")), Status.Code.INVALID_ARGUMENT, "spec.agent");
  }

  @Test
  void messageOverTheLimitIsInvalid() {
    assertRejected(
        create(spec().setMessage("x".repeat(1025))),
        Status.Code.INVALID_ARGUMENT,
        "spec.message: must be at most 1024 bytes (UTF-8), got 1025");
  }

  @Test
  void aNulInTheMessageIsInvalid() {
    // PostgreSQL cannot store it: refused on every database rather than an INTERNAL error there.
    assertRejected(
        create(spec().setMessage("ok \u0000 nul")),
        Status.Code.INVALID_ARGUMENT,
        "spec.message: must not contain NUL (U+0000) characters, got one at index 3");
  }

  @Test
  void aNulInALabelValueTheRequestIdOrACallerIdentifierIsInvalid() {
    assertRejected(
        create(spec()).putLabels("team", "a\u0000"),
        Status.Code.INVALID_ARGUMENT,
        "labels: value of 'team' must not contain NUL (U+0000) characters, got one at index 1");
    assertRejected(
        create(spec()).setRequestId("\u0000"),
        Status.Code.INVALID_ARGUMENT,
        "request_id: must not contain NUL (U+0000) characters, got one at index 0");
    assertRejected(
        create(
            spec()
                .setCallbackToken(ByteString.copyFromUtf8("t"))
                .setCaller(caller().setWorkflowId("wf\u0000"))),
        Status.Code.INVALID_ARGUMENT,
        "spec.caller.workflow_id: must not contain NUL (U+0000) characters, got one at index 2");
  }

  @Test
  void oversizedTokenIsInvalid() {
    assertRejected(
        create(
            spec()
                .setCallbackToken(ByteString.copyFrom(new byte[8 * 1024 + 1]))
                .setCaller(caller())),
        Status.Code.INVALID_ARGUMENT,
        "spec.callback_token: must be at most 8192 bytes, got 8193");
  }

  @Test
  void tokenWithoutCallerIsInvalid() {
    assertRejected(
        create(spec().setCallbackToken(ByteString.copyFromUtf8("token"))),
        Status.Code.INVALID_ARGUMENT,
        "spec.caller: is required with a callback token");
  }

  @Test
  void callerWithoutWorkflowIdIsInvalid() {
    assertRejected(
        create(
            spec()
                .setCallbackToken(ByteString.copyFromUtf8("t"))
                .setCaller(caller().setWorkflowId(""))),
        Status.Code.INVALID_ARGUMENT,
        "spec.caller.workflow_id: must not be empty");
  }

  @Test
  void callerWithoutAttemptIsInvalid() {
    assertRejected(
        create(
            spec()
                .setCallbackToken(ByteString.copyFromUtf8("t"))
                .setCaller(caller().setAttempt(0))),
        Status.Code.INVALID_ARGUMENT,
        "spec.caller.attempt: must be the activity's attempt number (1 or more), got 0");
  }

  @Test
  void negativeTimeoutIsInvalid() {
    assertRejected(
        create(spec().setTimeout(Duration.newBuilder().setSeconds(-5))),
        Status.Code.INVALID_ARGUMENT,
        "spec.timeout: must be positive, got a negative duration");
  }

  @Test
  void timeoutOverTheLimitIsInvalidInTheUnitsPeopleType() {
    assertRejected(
        create(spec().setTimeout(Duration.newBuilder().setSeconds(36 * 3600 + 90))),
        Status.Code.INVALID_ARGUMENT,
        "spec.timeout: must be at most 1d, got 1d12h1m30s");
  }

  @Test
  void tooManyLabelsAreInvalid() {
    CreateExecutionRequest.Builder request = create(spec());
    for (int i = 0; i < 5; i++) {
      request.putLabels("k" + i, "v");
    }
    assertRejected(request, Status.Code.INVALID_ARGUMENT, "labels: at most 4 labels, got 5");
  }

  @Test
  void malformedIdIsInvalidAndUnknownIdNotFound() {
    StatusRuntimeException malformed =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> api.get(GetExecutionRequest.newBuilder().setId("../etc/passwd").build()));
    assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(malformed.getStatus().getDescription())
        .contains("expected a 26-character execution id");

    StatusRuntimeException unknown =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                api.get(
                    GetExecutionRequest.newBuilder().setId("01JD3Z8Q4W5X6Y7Z8A9B0C1D2E").build()));
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void watchOfUnknownIdIsNotFound() {
    StatusRuntimeException unknown =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                api.watch(
                        WatchExecutionRequest.newBuilder()
                            .setId("01JD3Z8Q4W5X6Y7Z8A9B0C1D2E")
                            .build())
                    .hasNext());
    assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aNulInAListFilterOrACancelReasonIsInvalid() {
    StatusRuntimeException list =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> api.list(ListExecutionsRequest.newBuilder().setAgent("ec\u0000ho").build()));
    StatusRuntimeException cancel =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                api.cancel(
                    dev.baton.api.v1.CancelExecutionRequest.newBuilder()
                        .setId("01JD3Z8Q4W5X6Y7Z8A9B0C1D2E")
                        .setReason("stop\u0000")
                        .build()));

    assertThat(list.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(list.getStatus().getDescription())
        .isEqualTo("agent: must not contain NUL (U+0000) characters, got one at index 2");
    assertThat(cancel.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(cancel.getStatus().getDescription())
        .isEqualTo("reason: must not contain NUL (U+0000) characters, got one at index 4");
  }

  @Test
  void pageSizeOutOfRangeIsInvalid() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> api.list(ListExecutionsRequest.newBuilder().setPageSize(5000).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains("page_size: must be between 1 and 1000, got 5000");
  }

  private static ExecutionSpec.Builder spec() {
    return ExecutionSpec.newBuilder().setAgent("echo").setMessage("hello");
  }

  private static CallerIdentity.Builder caller() {
    return CallerIdentity.newBuilder()
        .setNamespace("default")
        .setWorkflowId("wf")
        .setRunId("run")
        .setActivityId("1")
        .setAttempt(1);
  }

  private static CreateExecutionRequest.Builder create(ExecutionSpec.Builder spec) {
    return CreateExecutionRequest.newBuilder().setSpec(spec);
  }

  private static void assertRejected(
      CreateExecutionRequest.Builder request, Status.Code code, String messagePart) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> api.create(request.build()));
    assertThat(e).as("expected %s", code).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    assertThat(e.getStatus().getDescription()).contains(messagePart);
  }
}
