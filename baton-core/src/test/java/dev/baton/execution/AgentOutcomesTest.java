package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentInvocation;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentOutcomesTest {
  @Test
  void aTimedOutAgentActivityIsATimeoutSaidInHumanUnits() {
    ActivityFailure timedOut =
        new ActivityFailure(
            "activity timed out",
            5,
            0,
            "RunAgent",
            "1",
            RetryState.RETRY_STATE_TIMEOUT,
            "",
            new TimeoutFailure("timed out", null, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE));

    AgentOutcome outcome =
        AgentOutcomes.of(
            timedOut, new AgentInvocation("exec-1", "remote", "hi", Duration.ofSeconds(90)), null);

    assertThat(outcome.phase()).isEqualTo(ExecutionPhase.FAILED);
    assertThat(outcome.error().type()).isEqualTo(ExecutionError.AGENT_TIMEOUT);
    assertThat(outcome.error().message())
        .isEqualTo(
            "agent 'remote' did not finish within its 1m30s deadline (for an external agent,"
                + " check that a worker polls its task queue)");
  }
}
