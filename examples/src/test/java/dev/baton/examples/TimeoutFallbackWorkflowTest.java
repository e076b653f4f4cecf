package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionPhase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeoutFallbackWorkflowTest {
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
  void answersWithTheAgentWhenItFinishesInTime() {
    String answer = newWorkflow().answer("quick", "shout", Duration.ofSeconds(30), "failing");

    assertThat(answer).isEqualTo("QUICK");
  }

  @Test
  void fallsBackToAnotherAgentWhenTheAgentTimesOut() {
    String answer = newWorkflow().answer("are you there?", "slow", Duration.ofSeconds(2), "shout");

    assertThat(answer).isEqualTo("ARE YOU THERE?");
    // Baton stopped the slow agent at its deadline and recorded why.
    AgentExecution slow = baton.executionsOf("slow").get(0);
    assertThat(slow.getStatus().getPhase()).isEqualTo(ExecutionPhase.FAILED);
    assertThat(slow.getStatus().getError().getType()).isEqualTo("AgentTimeout");
  }

  @Test
  void fallsBackWhenTheAgentFails() {
    String answer = newWorkflow().answer("try me", "failing", Duration.ofSeconds(30), "shout");

    assertThat(answer).isEqualTo("TRY ME");
  }

  @Test
  void returnsTheDefaultAnswerWhenTheFallbackFailsToo() {
    String answer =
        newWorkflow().answer("Is anyone there?", "summarize", Duration.ofMillis(500), "failing");

    assertThat(answer).isEqualTo(TimeoutFallbackWorkflow.DEFAULT_ANSWER);
  }

  private static TimeoutFallbackWorkflow newWorkflow() {
    return baton.worker.newWorkflow(TimeoutFallbackWorkflow.class, "timeout-fallback");
  }
}
