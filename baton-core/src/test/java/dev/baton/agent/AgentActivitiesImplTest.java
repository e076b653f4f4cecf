package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.ExecutionError;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class AgentActivitiesImplTest {
  @Test
  void anAgentsFailureIsABenignFailureThatIsNotRetried() {
    RuntimeException failure =
        AgentActivitiesImpl.activityFailure(
            new AgentFailedException(ExecutionError.AGENT_FAILED, "exited with code 3"));

    assertThat(failure)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getOriginalMessage()).isEqualTo("exited with code 3");
              assertThat(e.isNonRetryable()).isTrue();
              // Benign: Temporal's SDK logs it at DEBUG, not as a WARN with a stack trace.
              assertThat(e.getCategory()).isEqualTo(ApplicationErrorCategory.BENIGN);
            });
  }

  @Test
  void aRunStoppedAsAskedIsABenignFailureOfTheStopsType() {
    RuntimeException failure =
        AgentActivitiesImpl.activityFailure(
            AgentRun.stop(
                new RunMonitor.StopRequest(ExecutionError.CANCELLED, "cancelled through the API")));

    assertThat(failure)
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(ExecutionError.CANCELLED);
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getCategory()).isEqualTo(ApplicationErrorCategory.BENIGN);
            });
  }
}
