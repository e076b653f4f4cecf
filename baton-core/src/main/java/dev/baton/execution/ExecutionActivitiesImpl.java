package dev.baton.execution;

import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.callback.CallbackDispatcher;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The execution workflow's system steps, backed by the store and the callback dispatcher. */
public final class ExecutionActivitiesImpl implements ExecutionActivities {
  /** Failure type that makes the workflow retry delivery after a backoff. */
  static final String CALLBACK_RETRYABLE = "CallbackRetryable";

  private static final Logger log = LoggerFactory.getLogger(ExecutionActivitiesImpl.class);

  private final ExecutionStore store;
  private final AgentCatalog agents;
  private final CallbackDispatcher dispatcher;
  private final ExecutionObserver observer;
  private final Clock clock;

  public ExecutionActivitiesImpl(
      ExecutionStore store,
      AgentCatalog agents,
      CallbackDispatcher dispatcher,
      ExecutionObserver observer,
      Clock clock) {
    this.store = store;
    this.agents = agents;
    this.dispatcher = dispatcher;
    this.observer = observer;
    this.clock = clock;
  }

  @Override
  public AgentInvocation begin(String executionId) {
    Execution execution =
        store
            .find(executionId)
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "execution " + executionId + " is not in the store", "ExecutionNotFound"));
    if (execution.phase().isTerminal()) {
      return null;
    }
    String agent = execution.spec().agent();
    Optional<AgentDefinition> definition = agents.find(agent);
    if (definition.isEmpty()) {
      store.finish(
          executionId,
          Termination.failed(
              new ExecutionError(
                  ExecutionError.AGENT_NOT_RUNNABLE,
                  "agent '" + agent + "' is no longer defined on this server"),
              clock.instant()));
      return null;
    }
    Execution started = store.markInProgress(executionId, clock.instant());
    log.info(
        "execution started execution={} agent={} callerWorkflow={} callerActivity={} token={}",
        executionId,
        agent,
        callerWorkflow(execution),
        callerActivity(execution),
        Objects.requireNonNullElse(started.status().callback().tokenFingerprint(), "-"));
    return new AgentInvocation(
        executionId,
        agent,
        execution.spec().message(),
        execution.spec().timeout(),
        TaskQueues.forAgent(definition.get()),
        ConversationHistory.of(execution, store));
  }

  @Override
  public void finish(String executionId, AgentOutcome outcome) {
    boolean wasTerminal = store.find(executionId).map(e -> e.phase().isTerminal()).orElse(false);
    Execution finished =
        store.finish(
            executionId,
            new Termination(
                outcome.phase(),
                outcome.output(),
                outcome.structuredOutput(),
                outcome.error(),
                clock.instant()));
    if (!wasTerminal) {
      observer.finished(finished);
    }
    log.info(
        "execution finished execution={} phase={} error={} callerWorkflow={} callerActivity={}"
            + " token={}",
        executionId,
        finished.phase(),
        finished.status().error() == null ? "-" : finished.status().error().type(),
        callerWorkflow(finished),
        callerActivity(finished),
        Objects.requireNonNullElse(finished.status().callback().tokenFingerprint(), "-"));
  }

  @Override
  public CallbackState deliverCallback(String executionId) {
    CallbackStatus status = dispatcher.deliver(executionId);
    if (status.state() == CallbackState.PENDING) {
      throw ApplicationFailure.newFailure(
          "callback not delivered yet: " + status.lastError(), CALLBACK_RETRYABLE);
    }
    return status.state();
  }

  @Override
  public void abandonCallback(String executionId, String lastError) {
    Execution execution =
        store.find(executionId).orElseThrow(() -> new ExecutionNotFoundException(executionId));
    CallbackStatus current = execution.status().callback();
    if (current.state().isFinal()) {
      return;
    }
    store.updateCallback(
        executionId,
        new CallbackStatus(
            CallbackState.FAILED,
            current.attempts(),
            "delivery retries exhausted: " + lastError,
            null,
            current.tokenFingerprint()));
    log.error(
        "callback abandoned execution={} callerWorkflow={} callerActivity={} token={} error={}",
        executionId,
        callerWorkflow(execution),
        callerActivity(execution),
        current.tokenFingerprint(),
        lastError);
  }

  private static String callerWorkflow(Execution execution) {
    return execution.spec().caller() == null ? "-" : execution.spec().caller().workflowId();
  }

  private static String callerActivity(Execution execution) {
    return execution.spec().caller() == null ? "-" : execution.spec().caller().activityId();
  }
}
