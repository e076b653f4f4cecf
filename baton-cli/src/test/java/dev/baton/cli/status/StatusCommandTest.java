package dev.baton.cli.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.execution.CallbackToken;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code baton status} against a real server: a callback Temporal rejected counts as failed in the
 * last hour, and a running agent's undelivered callback is pending, with its caller, among the
 * oldest.
 */
class StatusCommandTest {
  private static final String HOLD =
      """
      name: hold
      description: Runs until cancelled
      runner: command
      timeout: 10m
      settings:
        command: [sh, -c, "sleep 600"]
      """;
  private static final byte[] PENDING_TOKEN =
      "garbage-token-of-a-pending-call".getBytes(StandardCharsets.UTF_8);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;
  static RealBatonServer server;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;
  static String failedId;
  static String pendingId;

  @BeforeAll
  static void startWithAFailedAndAPendingCallback() {
    server = RealBatonServer.start(home, Map.of("hold.yaml", HOLD));
    channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
    failedId =
        create(
            "shout",
            "status-rejected",
            "1",
            1,
            "garbage-token-of-a-finished-call".getBytes(StandardCharsets.UTF_8));
    pendingId = create("hold", "status-waiting", "7", 2, PENDING_TOKEN);
    api.create(
        CreateExecutionRequest.newBuilder()
            .setSpec(ExecutionSpec.newBuilder().setAgent("shout").setMessage("no callback"))
            .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                get(failedId).getStatus().getCallback().getState() == CallbackState.CALLBACK_FAILED
                    && get(pendingId).getStatus().getPhase() == ExecutionPhase.IN_PROGRESS);
  }

  @AfterAll
  static void stop() {
    if (api != null && pendingId != null) {
      api.cancel(CancelExecutionRequest.newBuilder().setId(pendingId).build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(pendingId).getStatus().getPhase() == ExecutionPhase.CANCELLED);
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void tableShowsCountsAndTheOldestPendingCallWithItsCaller() {
    CliResult result = Cli.run("status", "--address", server.address());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .containsPattern(row("In progress:", 1))
        .containsPattern(row("Callbacks pending:", 1))
        .containsPattern(row("  0-1h:", 1))
        .containsPattern(row("  24h+:", 0))
        .containsPattern(row("Last hour delivered:", 0))
        .containsPattern(row("Last hour caller gone:", 0))
        .containsPattern(row("Last hour failed:", 1))
        .contains("Oldest pending callbacks:");
    String oldest = result.out().substring(result.out().indexOf("Oldest pending callbacks:"));
    assertThat(oldest)
        .contains(pendingId)
        .contains("hold")
        .contains("IN_PROGRESS")
        .contains("status-waiting / 7 #2")
        .contains(CallbackToken.fingerprint(PENDING_TOKEN))
        .doesNotContain(failedId);
  }

  @Test
  void jsonHasTheSameCountsAndNoToken() throws IOException {
    CliResult result = Cli.run("status", "--address", server.address(), "-o", "json");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    JsonNode summary = JSON.readTree(result.out());
    assertThat(summary.path("inProgress").asLong()).isEqualTo(1);
    assertThat(summary.path("failedLastHour").asLong()).isEqualTo(1);
    // Zero counts are printed, so that `jq .deliveredLastHour` reads 0, not null.
    assertThat(summary.get("deliveredLastHour")).isNotNull();
    assertThat(summary.get("deliveredLastHour").asLong()).isZero();
    assertThat(summary.get("callerGoneLastHour")).isNotNull();
    assertThat(summary.get("callerGoneLastHour").asLong()).isZero();
    Map<String, Long> pending = new TreeMap<>();
    summary
        .path("pendingCallbacks")
        .forEach(
            age -> {
              assertThat(age.has("count")).as("count of %s", age).isTrue();
              pending.put(age.path("ageBucket").asText(), age.path("count").asLong());
            });
    assertThat(pending)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("0-1h", 1L, "1-4h", 0L, "4-12h", 0L, "12-24h", 0L, "24h+", 0L));
    JsonNode oldest = summary.path("oldestPending");
    assertThat(oldest).hasSize(1);
    assertThat(oldest.get(0).path("metadata").path("id").asText()).isEqualTo(pendingId);
    assertThat(oldest.get(0).path("spec").path("caller").path("workflowId").asText())
        .isEqualTo("status-waiting");
    assertThat(oldest.get(0).path("spec").has("callbackToken")).isFalse();
    assertThat(oldest.get(0).path("status").path("callback").path("tokenFingerprint").asText())
        .isEqualTo(CallbackToken.fingerprint(PENDING_TOKEN));
  }

  private static Pattern row(String label, long count) {
    return Pattern.compile("(?m)^" + Pattern.quote(label) + " +" + count + "$");
  }

  private static String create(
      String agent, String callerWorkflow, String activity, int attempt, byte[] token) {
    AgentExecution created =
        api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder()
                        .setAgent(agent)
                        .setMessage("status of " + callerWorkflow)
                        .setCallbackToken(ByteString.copyFrom(token))
                        .setCaller(
                            CallerIdentity.newBuilder()
                                .setNamespace("default")
                                .setWorkflowId(callerWorkflow)
                                .setRunId("run-" + callerWorkflow)
                                .setActivityId(activity)
                                .setAttempt(attempt)))
                .build());
    return created.getMetadata().getId();
  }

  private static AgentExecution get(String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build());
  }
}
