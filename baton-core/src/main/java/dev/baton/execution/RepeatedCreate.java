package dev.baton.execution;

import dev.baton.agent.Durations;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks that a Create which found an existing execution by its caller identity or request id asks
 * for the same thing: a retry is answered with the existing execution, a different request under a
 * used key is refused, as a reused idempotency key should be, instead of silently answering with an
 * execution of something else.
 *
 * <p>Compared: the agent, the message, the labels, the continued execution, and the timeout and
 * {@code on_caller_gone} where the request sets them. Defaults the server fills in are not, so a
 * retried caller attempt still matches after an operator changed the agent's defaults.
 */
final class RepeatedCreate {
  private RepeatedCreate() {}

  /**
   * @param agent the agent the request resolved to
   * @throws IdempotencyConflictException when {@code request} differs from what {@code existing}
   *     was created with
   */
  static void requireSame(Execution existing, CreateExecution request, String agent) {
    difference(existing, request, agent)
        .ifPresent(
            what -> {
              throw new IdempotencyConflictException(
                  keyOf(request)
                      + " already created execution "
                      + existing.id()
                      + " with a different request ("
                      + what
                      + "); a retry must repeat the request, and a new request needs a new "
                      + (request.caller() != null ? "caller activity" : "request_id"));
            });
  }

  private static Optional<String> difference(
      Execution existing, CreateExecution request, String agent) {
    ExecutionSpec stored = existing.spec();
    if (!stored.agent().equals(agent)) {
      return Optional.of(
          "agent "
              + InvalidRequestException.quoted(agent)
              + ", stored "
              + InvalidRequestException.quoted(stored.agent()));
    }
    if (!stored.message().equals(request.message())) {
      return Optional.of("another message");
    }
    if (!existing.labels().equals(request.labels())) {
      return Optional.of("labels " + request.labels() + ", stored " + existing.labels());
    }
    if (!Objects.equals(stored.previousExecutionId(), request.previousExecutionId())) {
      return Optional.of(
          "previous execution "
              + InvalidRequestException.quoted(request.previousExecutionId())
              + ", stored "
              + InvalidRequestException.quoted(stored.previousExecutionId()));
    }
    if (request.timeout() != null && !request.timeout().equals(stored.timeout())) {
      return Optional.of(
          "timeout "
              + Durations.format(request.timeout())
              + ", stored "
              + Durations.format(stored.timeout()));
    }
    if (request.onCallerGone() != null && request.onCallerGone() != stored.onCallerGone()) {
      return Optional.of(
          "on_caller_gone " + request.onCallerGone() + ", stored " + stored.onCallerGone());
    }
    return Optional.empty();
  }

  private static String keyOf(CreateExecution request) {
    CallerIdentity caller = request.caller();
    return caller != null
        ? "caller activity "
            + InvalidRequestException.quoted(caller.activityId())
            + " of workflow "
            + InvalidRequestException.quoted(caller.workflowId())
        : "request_id " + InvalidRequestException.quoted(request.requestId());
  }
}
