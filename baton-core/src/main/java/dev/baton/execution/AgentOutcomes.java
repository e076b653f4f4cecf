package dev.baton.execution;

import dev.baton.agent.AgentInvocation;
import dev.baton.agent.Durations;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;

/** Maps how the agent-runner activity failed to the execution's outcome. */
final class AgentOutcomes {
  private AgentOutcomes() {}

  static AgentOutcome of(ActivityFailure failure, AgentInvocation invocation, String cancelReason) {
    Throwable cause = failure.getCause();
    if (cause instanceof CanceledFailure) {
      return AgentOutcome.cancelled(cancelReason == null ? "execution cancelled" : cancelReason);
    }
    if (cause instanceof TimeoutFailure timeout
        && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT) {
      return AgentOutcome.failed(
          ExecutionError.AGENT_FAILED,
          "the runner of agent '"
              + invocation.agent()
              + "' stopped heartbeating (its worker died or was starved) and its retries ran out");
    }
    if (cause instanceof TimeoutFailure) {
      return AgentOutcome.failed(
          ExecutionError.AGENT_TIMEOUT,
          "agent '"
              + invocation.agent()
              + "' did not finish within its "
              + Durations.format(invocation.timeout())
              + " deadline (for an external agent, check that a worker polls its task queue)");
    }
    if (cause instanceof ApplicationFailure application) {
      String type = application.getType();
      if (ExecutionError.CALLER_CANCELLED.equals(type)
          || ExecutionError.CALLER_GONE.equals(type)
          || ExecutionError.CANCELLED.equals(type)) {
        return new AgentOutcome(
            ExecutionPhase.CANCELLED,
            null,
            null,
            new ExecutionError(type, application.getOriginalMessage()));
      }
      boolean known =
          ExecutionError.AGENT_FAILED.equals(type)
              || ExecutionError.AGENT_TIMEOUT.equals(type)
              || ExecutionError.AGENT_NOT_RUNNABLE.equals(type);
      return AgentOutcome.failed(
          known ? type : ExecutionError.AGENT_FAILED, application.getOriginalMessage());
    }
    return AgentOutcome.failed(ExecutionError.AGENT_FAILED, rootMessage(failure));
  }

  /** The innermost message of a failure chain: what actually went wrong. */
  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message =
        t instanceof ApplicationFailure application
            ? application.getOriginalMessage()
            : t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
