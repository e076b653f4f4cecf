package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/** Which refusals of Create fail the caller's attempt for good, and which leave it to retries. */
class CreateRefusalTest {
  private static final AgentCall CALL = AgentCall.of("writer", "draft the summary");

  @Test
  void aRequestTheServerWillRefuseAgainIsNotRetried() {
    for (Status status :
        new Status[] {
          Status.INVALID_ARGUMENT,
          Status.NOT_FOUND,
          Status.ALREADY_EXISTS,
          Status.FAILED_PRECONDITION,
          Status.PERMISSION_DENIED,
          Status.UNAUTHENTICATED
        }) {
      ApplicationFailure failure =
          AgentCallActivitiesImpl.failure(
              CALL, status.withDescription("refused").asRuntimeException());

      assertThat(failure.isNonRetryable()).as("%s", status.getCode()).isTrue();
      assertThat(failure.getType()).isEqualTo(AgentCallActivitiesImpl.REQUEST_REJECTED);
      assertThat(failure.getOriginalMessage())
          .isEqualTo("baton refused to run agent 'writer': " + status.getCode() + " refused");
    }
  }

  @Test
  void anUnreachableOrBusyServerIsRetried() {
    for (Status status :
        new Status[] {Status.UNAVAILABLE, Status.DEADLINE_EXCEEDED, Status.RESOURCE_EXHAUSTED}) {
      ApplicationFailure failure =
          AgentCallActivitiesImpl.failure(CALL, status.asRuntimeException());

      assertThat(failure.isNonRetryable()).as("%s", status.getCode()).isFalse();
      assertThat(failure.getType()).isEqualTo(AgentCallActivitiesImpl.UNAVAILABLE);
    }
  }
}
