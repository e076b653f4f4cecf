package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.callback.AgentExecutionFailure;
import dev.baton.callback.AgentResult;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents with {@code runner: external} are served by a worker in a separate process (here a second
 * JVM that uses only the documented JSON contract), reached through the caller SDK as usual.
 */
class ExternalRunnerTest {
  @TempDir static Path home;
  static TestBaton baton;
  static Process worker;

  @BeforeAll
  static void start() throws IOException {
    baton =
        TestBaton.builder(home)
            .agentYaml(
                "reverser",
                "name: reverser\nrunner: external\ntimeout: 30s\n"
                    + "settings:\n  taskQueue: test-external-reverser\n")
            .agentYaml("rejecter", "name: rejecter\nrunner: external\ntimeout: 30s\n")
            .start();
    Path log = home.resolve("external-worker.log");
    worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ExternalAgentWorkerMain.class.getName(),
                baton.server.temporalTarget(),
                baton.server.temporalNamespace(),
                "test-external-reverser",
                "baton-agent-rejecter")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(log) && Files.readString(log).contains("READY"));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (worker != null) {
      worker.destroy();
      worker.waitFor();
    }
    if (baton != null) {
      baton.close();
    }
  }

  @Test
  void externalWorkerAnswersTheCaller() {
    List<AgentResult> results =
        baton.caller("external-reverse").call(List.of(AgentCall.of("reverser", "hello baton")), 0);

    AgentResult result = results.get(0);
    assertThat(result.phase()).isEqualTo("COMPLETED");
    assertThat(result.output()).isEqualTo("notab olleh");
    assertThat(result.structuredOutput().get("servedBy").asText()).isEqualTo("external");
    assertThat(result.structuredOutput().get("executionId").asText())
        .isEqualTo(result.executionId());
    assertThat(result.structuredOutput().get("timeoutSeconds").asDouble()).isEqualTo(30.0);
    assertThat(result.structuredOutput().get("taskQueue").asText())
        .isEqualTo("test-external-reverser");
    assertThat(worker.isAlive()).isTrue();
  }

  @Test
  void externalAgentFailureReachesCallerAsAgentExecutionFailed() {
    Throwable thrown =
        catchThrowable(
            () ->
                baton
                    .caller("external-reject")
                    .call(List.of(AgentCall.of("rejecter", "bad diff")), 0));

    assertThat(thrown).isInstanceOf(WorkflowFailedException.class);
    assertThat(thrown.getCause()).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause();
    assertThat(failure.getType()).isEqualTo(AgentExecutionFailure.TYPE);
    assertThat(failure.getOriginalMessage()).contains("the external reviewer rejected: bad diff");
    AgentExecutionFailure details = failure.getDetails().get(AgentExecutionFailure.class);
    assertThat(details.errorType()).isEqualTo("AgentFailed");
    assertThat(details.agent()).isEqualTo("rejecter");
  }
}
