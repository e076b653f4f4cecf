package dev.baton.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.execution.ExecutionError;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A queued execution survives a restart that loses every workflow (embedded Temporal): the
 * reconciler starts it again, the lost execution holding the slot is failed, and the queued one
 * then runs. The slot count lives in the store, not in the server that went away.
 */
class QueuedExecutionRestartTest {
  @TempDir Path home;
  @TempDir Path gates;

  @Test
  void queuedExecutionRunsAfterARestartThatLostItsWorkflow() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("gate.yaml"),
        "name: gate\nrunner: command\nmaxConcurrent: 1\nsettings:\n  command: [sh, -c,"
            + " 'f=$(cat); while [ ! -e \"$f\" ]; do sleep 0.1; done; echo passed']\n");
    String holder;
    String queued;
    try (BatonServer first = start()) {
      holder = withApi(first, api -> create(api, "holder"));
      queued = withApi(first, api -> create(api, "queued"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> phase(first, holder) == ExecutionPhase.IN_PROGRESS);
      assertThat(phase(first, queued)).isEqualTo(ExecutionPhase.PENDING);
    }
    Files.writeString(gates.resolve("queued"), "open");

    try (BatonServer second = start()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> phase(second, queued) == ExecutionPhase.COMPLETED);
      AgentExecution lost = withApi(second, api -> get(api, holder));
      assertThat(lost.getStatus().getPhase()).isEqualTo(ExecutionPhase.FAILED);
      assertThat(lost.getStatus().getError().getType()).isEqualTo(ExecutionError.EXECUTION_LOST);
    }
  }

  private BatonServer start() {
    return BatonServer.start(
        ServerConfig.builder(home)
            .port(0)
            .embeddedTemporalPort(0)
            .metricsPort(0)
            .reconcileInterval(Duration.ofSeconds(1))
            .build());
  }

  private String create(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String gate) {
    return api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder()
                        .setAgent("gate")
                        .setMessage(gates.resolve(gate).toString()))
                .build())
        .getMetadata()
        .getId();
  }

  private static ExecutionPhase phase(BatonServer server, String id) {
    return withApi(server, api -> get(api, id)).getStatus().getPhase();
  }

  private static AgentExecution get(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api, String id) {
    return api.get(GetExecutionRequest.newBuilder().setId(id).build());
  }

  private static <T> T withApi(
      BatonServer server,
      Function<AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub, T> call) {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    try {
      return call.apply(AgentExecutionServiceGrpc.newBlockingStub(channel));
    } finally {
      channel.shutdownNow();
    }
  }
}
