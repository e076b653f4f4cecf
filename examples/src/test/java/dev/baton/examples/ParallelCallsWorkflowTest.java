package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCall;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelCallsWorkflowTest {
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
  void returnsEachAgentsResultInCallOrder() {
    ParallelCallsWorkflow workflow =
        baton.worker.newWorkflow(ParallelCallsWorkflow.class, "parallel-order");

    List<AgentResult> results =
        workflow.callAll(
            List.of(
                AgentCall.of("summarize", "First things first. Then the rest."),
                AgentCall.of("shout", "one"),
                AgentCall.of("shout", "two")));

    assertThat(results)
        .extracting(AgentResult::agent)
        .containsExactly("summarize", "shout", "shout");
    assertThat(results.get(0).output().strip()).isEqualTo("First things first.\n(6 words)");
    assertThat(results.subList(1, 3)).extracting(AgentResult::output).containsExactly("ONE", "TWO");
    assertThat(results).extracting(AgentResult::phase).containsOnly("COMPLETED");
    assertThat(results).extracting(AgentResult::executionId).doesNotHaveDuplicates();
  }

  @Test
  void runsTheAgentsAtTheSameTime() {
    ParallelCallsWorkflow workflow =
        baton.worker.newWorkflow(ParallelCallsWorkflow.class, "parallel-overlap");

    List<AgentResult> results =
        workflow.callAll(
            List.of(AgentCall.of("summarize", "One."), AgentCall.of("summarize", "Two.")));

    // summarize thinks for a second: the two runs overlap instead of following each other.
    AgentResult first = results.get(0);
    AgentResult second = results.get(1);
    assertThat(first.startTime()).isBefore(second.endTime());
    assertThat(second.startTime()).isBefore(first.endTime());
  }
}
