package dev.baton.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running server checks its agent files every reload interval, without being asked. */
class AgentFilesReloadIntervalTest {
  @TempDir Path home;

  @Test
  void aRunningServerLoadsAChangeWithoutBeingAsked() throws IOException {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(agents.resolve("a.yaml"), "name: a\nrunner: echo\n");
    try (BatonServer server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .metricsPort(0)
                .agentsPath(agents)
                .agentsReloadInterval(Duration.ofMillis(50))
                .build())) {

      Files.writeString(agents.resolve("b.yaml"), "name: b\nrunner: echo\n");

      await().atMost(Duration.ofSeconds(5)).until(() -> server.agents().find("b").isPresent());
    }
  }
}
