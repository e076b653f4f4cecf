package dev.baton.server.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ExecutionStatus;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --agent-slots} bounds how many agents one server runs at once; the rest wait. */
class AgentSlotsTest {
  @TempDir Path home;

  /** With eager start the slots are shared by eager runs and agent activities. */
  @ParameterizedTest(name = "eager start {0}")
  @ValueSource(booleans = {true, false})
  void aSecondAgentStartsOnlyWhenTheOnlySlotFrees(boolean eagerStart) throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("slow.yaml"), "name: slow\nrunner: echo\nsettings:\n  delay: 3s\n");
    try (BatonServer server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .agentSlots(1)
                .eagerStart(eagerStart)
                .build())) {
      ManagedChannel channel =
          NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
      try {
        var api = AgentExecutionServiceGrpc.newBlockingStub(channel);
        String first = create(api, "one");
        String second = create(api, "two");

        ExecutionStatus one = awaitCompleted(api, first);
        ExecutionStatus two = awaitCompleted(api, second);

        assertThat(two.getOutput()).isEqualTo("two");
        // One slot: the two 3-s agents ran one after the other, not beside each other. Temporal
        // does not promise which of the two queued activity tasks is handed out first.
        assertThat(Duration.between(endTime(one), endTime(two)).abs())
            .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static ExecutionStatus awaitCompleted(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(api, id).getPhase() == ExecutionPhase.COMPLETED);
    return status(api, id);
  }

  private static Instant endTime(ExecutionStatus status) {
    return Instant.ofEpochSecond(status.getEndTime().getSeconds(), status.getEndTime().getNanos());
  }

  private static String create(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String message) {
    return api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("slow").setMessage(message))
                .build())
        .getMetadata()
        .getId();
  }

  private static ExecutionStatus status(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build()).getStatus();
  }
}
