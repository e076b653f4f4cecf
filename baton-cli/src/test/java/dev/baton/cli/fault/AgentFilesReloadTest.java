package dev.baton.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.Agent;
import dev.baton.api.v1.AgentServiceGrpc;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.cli.fault.ChildJvms.ChildJvm;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code baton server} process reads its agent files again on SIGHUP: new agents are
 * offered and run, and files with a problem are logged while the agents loaded before stay.
 */
class AgentFilesReloadTest {
  @TempDir Path home;
  private ChildJvms jvms;
  private ManagedChannel channel;
  private BatonApi api;

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (jvms != null) {
      jvms.close();
    }
  }

  @Test
  void sighupLoadsChangedAgentFilesAndRefusesBrokenOnesWithoutStopping() throws Exception {
    // given a server (periodic checks off) serving one agent
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(agents.resolve("first.yaml"), "name: first\nrunner: echo\n");
    jvms = new ChildJvms(home);
    String address = "127.0.0.1:" + ChildJvms.freePort();
    ChildJvm server =
        jvms.server(
            List.of(
                "--home",
                home.toString(),
                "--listen",
                address,
                "--embedded-temporal-port",
                "0",
                "--agents",
                agents.toString(),
                "--agents-reload-interval",
                "0s"));
    channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    api = new BatonApi(address);
    assertThat(agentNames()).containsExactly("first");

    // when an agent file is added and the server gets SIGHUP
    Files.writeString(agents.resolve("second.yaml"), "name: second\nrunner: echo\n");
    hangUp(server);

    // then the new agent is offered and runs
    await().atMost(Duration.ofSeconds(10)).until(() -> agentNames().contains("second"));
    assertThat(agentNames()).containsExactly("first", "second");
    assertThat(server.logText()).contains("added=[second] changed=[] removed=[]");
    String id = api.create("second", "hello").getMetadata().getId();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get(id).getStatus().getPhase() == ExecutionPhase.COMPLETED);

    // when a broken file is added and the server gets SIGHUP again
    Files.writeString(agents.resolve("third.yaml"), "name: third\nrunner: nobody\n");
    hangUp(server);

    // then the server says what is wrong, keeps serving the agents it had, and keeps running
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.logText().contains("agent files changed but were not loaded"));
    assertThat(server.logText()).contains("runner 'nobody' is unknown");
    assertThat(agentNames()).containsExactly("first", "second");
    assertThat(server.process().isAlive()).isTrue();
  }

  private List<String> agentNames() {
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .list(ListAgentsRequest.getDefaultInstance())
        .getAgentsList()
        .stream()
        .map(Agent::getName)
        .toList();
  }

  private static void hangUp(ChildJvm server) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-HUP", String.valueOf(server.process().pid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor()).isZero();
  }
}
