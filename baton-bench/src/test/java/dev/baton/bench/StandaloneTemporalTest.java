package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's second Temporal: a test server in a JVM of its own, serving over TCP, whose GC
 * pause goal keeps its collections from stalling the calls in flight.
 */
class StandaloneTemporalTest {
  @TempDir Path dir;

  @Test
  void servesOverTcpFromAJvmWithTheGcPauseGoal() throws Exception {
    try (StandaloneTemporal temporal = StandaloneTemporal.start(dir.resolve("temporal.log"))) {
      List<String> arguments =
          List.of(Files.readString(Path.of("/proc/" + temporal.pid() + "/cmdline")).split("\0"));
      assertThat(arguments)
          .contains("-XX:MaxGCPauseMillis=" + StandaloneTemporal.GC_PAUSE_GOAL_MILLIS);

      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
      try {
        assertThat(service.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()))
            .isNotNull();
      } finally {
        service.shutdownNow();
      }
    }
  }
}
