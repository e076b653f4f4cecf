package dev.baton.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List pages fit a gRPC client's default 4 MiB answer limit: executions with messages of the
 * default largest size (1 MiB) echoed as their output are listed over a plain channel, a page
 * holding fewer than asked for and its token leading on to the rest.
 */
class LargeListPagesTest {
  private static final int EXECUTIONS = 5;
  private static final String MESSAGE = "m".repeat(1_000_000);

  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;
  static final List<String> created = new ArrayList<>();

  @BeforeAll
  static void startAndCreateLargeExecutions() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    server = BatonServer.start(ServerConfig.builder(home).port(0).embeddedTemporalPort(0).build());
    // gRPC's defaults, as any client in any language has them: answers of at most 4 MiB
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
    for (int i = 0; i < EXECUTIONS; i++) {
      created.add(
          0, // newest first, as List answers
          api.create(
                  CreateExecutionRequest.newBuilder()
                      .setSpec(ExecutionSpec.newBuilder().setAgent("echo").setMessage(MESSAGE))
                      .build())
              .getMetadata()
              .getId());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.list(
                                ListExecutionsRequest.newBuilder()
                                    .addPhases(ExecutionPhase.COMPLETED)
                                    .setPageSize(1)
                                    .build())
                            .getExecutionsCount()
                        == 1
                    && completedIds().size() == EXECUTIONS);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void aPageOfLargeExecutionsStopsBelowFourMebibytesAndLeadsOnToTheRest() {
    ListExecutionsResponse first = api.list(ListExecutionsRequest.getDefaultInstance());

    assertThat(first.getSerializedSize()).isLessThan(4 * 1024 * 1024);
    assertThat(first.getExecutionsCount()).isBetween(1, EXECUTIONS - 1);
    assertThat(first.getNextPageToken())
        .isEqualTo(first.getExecutions(first.getExecutionsCount() - 1).getMetadata().getId());
    assertThat(first.getExecutions(0).getStatus().getOutput()).isEqualTo(MESSAGE);
  }

  @Test
  void followingTheTokensListsEveryExecutionOnceInOrder() {
    assertThat(completedIds()).isEqualTo(created);
  }

  /** Every COMPLETED execution, page by page, newest first. */
  private static List<String> completedIds() {
    List<String> ids = new ArrayList<>();
    String token = "";
    do {
      ListExecutionsResponse page =
          api.list(
              ListExecutionsRequest.newBuilder()
                  .addPhases(ExecutionPhase.COMPLETED)
                  .setPageToken(token)
                  .build());
      page.getExecutionsList().stream()
          .map(AgentExecution::getMetadata)
          .forEach(metadata -> ids.add(metadata.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }
}
