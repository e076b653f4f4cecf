package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.AgentExecution;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleCallWorkflowTest {
  @TempDir static Path home;
  static EmbeddedBaton baton;

  @BeforeAll
  static void start() {
    baton = EmbeddedBaton.start(home);
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void returnsTheSummarizeAgentsAnswer() {
    SingleCallWorkflow workflow = baton.worker.newWorkflow(SingleCallWorkflow.class, "single");

    String answer = workflow.summarize("Baton hands over the token. Then it waits.");

    assertThat(answer.strip()).isEqualTo("Baton hands over the token.\n(8 words)");
  }

  @Test
  void handsTheCallsHeartbeatTimeoutToBatonForTheRelay() {
    SingleCallWorkflow workflow = baton.worker.newWorkflow(SingleCallWorkflow.class, "relay");

    workflow.summarize("Heartbeats keep the call alive.");

    AgentExecution execution = baton.executionsOf("summarize").get(0);
    assertThat(execution.getSpec().getMessage()).isEqualTo("Heartbeats keep the call alive.");
    assertThat(execution.getSpec().getCallerHeartbeatTimeout().getSeconds()).isEqualTo(30);
  }
}
