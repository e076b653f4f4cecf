package dev.baton.server.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.execution.ExecutionWorkflowOptions;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's heartbeat timeout is generous (a starved machine must not fail healthy agents), yet
 * its heartbeats reach Temporal every 2 s, so a cancellation still stops a running agent at once.
 */
class AgentHeartbeatTest {
  @TempDir Path home;

  @Test
  void aCancelStopsARunningAgentWellWithinTheHeartbeatTimeout() throws Exception {
    Duration heartbeatTimeout = ExecutionWorkflowOptions.defaults().agentHeartbeatTimeout();
    assertThat(heartbeatTimeout).isEqualTo(Duration.ofSeconds(15));
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("long.yaml"), "name: long\nrunner: echo\nsettings:\n  delay: 1h\n");
    try (BatonServer server =
        BatonServer.start(ServerConfig.builder(home).port(0).embeddedTemporalPort(0).build())) {
      ManagedChannel channel =
          NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
      try {
        var api = AgentExecutionServiceGrpc.newBlockingStub(channel);
        String id =
            api.create(
                    CreateExecutionRequest.newBuilder()
                        .setSpec(ExecutionSpec.newBuilder().setAgent("long").setMessage("wait"))
                        .build())
                .getMetadata()
                .getId();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> phase(api, id) == ExecutionPhase.IN_PROGRESS);
        // Past the first heartbeat, so the next one waits for the throttle interval.
        Thread.sleep(3000);

        long cancelled = System.nanoTime();
        api.cancel(CancelExecutionRequest.newBuilder().setId(id).setReason("enough").build());
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> phase(api, id) == ExecutionPhase.CANCELLED);

        // The SDK's default would be 0.8 x 15 s = 12 s between heartbeats.
        assertThat(Duration.ofNanos(System.nanoTime() - cancelled))
            .isLessThan(heartbeatTimeout.dividedBy(2));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static ExecutionPhase phase(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build()).getStatus().getPhase();
  }
}
