package dev.baton.caller;

import dev.baton.callback.AgentResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Calls a Baton agent from a workflow without holding a worker slot while the agent runs.
 *
 * <p>Register {@link AgentCallActivitiesImpl} on your worker and call this through an activity
 * stub, with options from {@link AgentCallOptions}. What the workflow sees:
 *
 * <ul>
 *   <li><b>Success:</b> the {@link AgentResult} with the agent's final output.
 *   <li><b>Agent failure or timeout:</b> an {@code ActivityFailure} caused by a non-retryable
 *       {@code ApplicationFailure} of type {@code AgentExecutionFailed}; its message is the agent's
 *       error, its details an {@code AgentExecutionFailure}.
 *   <li><b>Cancelled by the workflow:</b> Baton stops the agent and reports the cancellation; the
 *       workflow sees the usual {@code CanceledFailure}.
 *   <li><b>Cancelled through Baton's API or CLI:</b> an {@code ActivityFailure} caused by a
 *       non-retryable {@code AgentExecutionFailed} failure whose details' {@code errorType} is
 *       {@code Cancelled} (Temporal accepts a cancellation report only for an activity its workflow
 *       asked to cancel).
 *   <li><b>Baton refused the request</b> (unknown agent, bad input): a non-retryable {@code
 *       ApplicationFailure} of type {@code BatonRequestRejected}. <b>Baton unreachable:</b> a
 *       retryable one of type {@code BatonUnavailable}; the retry reuses the same execution.
 * </ul>
 *
 * <p>Retries of the activity are safe: Baton keys executions on the caller's workflow, run and
 * activity id, so a retried attempt rebinds its new task token to the same execution instead of
 * starting the agent again.
 */
@ActivityInterface
public interface AgentCallActivities {

  @ActivityMethod(name = "CallAgent")
  AgentResult callAgent(AgentCall call);
}
