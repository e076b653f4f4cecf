package dev.baton.execution;

import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.callback.CallbackDispatcher;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The execution workflow's system steps, backed by the store and the callback dispatcher. */
public final class ExecutionActivitiesImpl implements ExecutionActivities {
  /** Failure type that makes the workflow retry delivery after a backoff. */
  static final String CALLBACK_RETRYABLE = "CallbackRetryable";

  /**
   * How long a delivery step waits for an eager run that holds the execution to deliver the end it
   * recorded, before it fails retryably (the step retries after a backoff).
   */
  static final Duration EAGER_DELIVERY_WAIT = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(ExecutionActivitiesImpl.class);

  private final ExecutionStore store;
  private final AgentCatalog agents;
  private final CallbackDispatcher dispatcher;
  private final ExecutionEnds ends;
  private final AdmissionControl admission;
  private final EagerRunActivities eagerRun;
  private final Clock clock;

  /**
   * @param eagerRun waits for this server's eager run of an execution that admission finds running
   *     under one
   */
  public ExecutionActivitiesImpl(
      ExecutionStore store,
      AgentCatalog agents,
      CallbackDispatcher dispatcher,
      ExecutionEnds ends,
      AdmissionControl admission,
      EagerRunActivities eagerRun,
      Clock clock) {
    this.store = store;
    this.agents = agents;
    this.dispatcher = dispatcher;
    this.ends = ends;
    this.admission = admission;
    this.eagerRun = eagerRun;
    this.clock = clock;
  }

  @Override
  public AgentInvocation begin(String executionId) {
    Execution execution = load(executionId);
    if (execution.phase().isTerminal()) {
      return null;
    }
    Optional<AgentDefinition> definition = runnableAgent(execution);
    if (definition.isEmpty()) {
      return null;
    }
    return started(store.markInProgress(executionId, clock.instant()), definition.get());
  }

  @Override
  public Admission admit(String executionId, QueueState queue) {
    Execution execution = load(executionId);
    if (execution.phase().isTerminal()) {
      // Typically an eager run (EagerRuns) that recorded the end and delivered it before this
      // first step: with the callback settled, the workflow ends without a delivery step.
      return Admission.ended(execution.status().callback().state());
    }
    Optional<AgentDefinition> definition = runnableAgent(execution);
    if (definition.isEmpty()) {
      return Admission.ended();
    }
    int limit = admission.limitOf(definition.get());
    if (limit == 0) {
      if (execution.phase() == ExecutionPhase.IN_PROGRESS) {
        // An eager run took it (EagerRuns), and logged its start: nothing to write or log. When
        // the run is on this server and ends within a moment, its end settles the execution here,
        // in the step the workflow would otherwise take next.
        CallbackState eagerEnd = eagerRun.awaitEagerRun(executionId);
        if (eagerEnd != null) {
          return Admission.ended(eagerEnd);
        }
        return Admission.admittedAfterEagerRunWait(
            invocationOf(execution, definition.get(), store));
      }
      // PENDING stays PENDING for an eager run: it takes only executions it creates IN_PROGRESS.
      Execution started = store.markInProgress(executionId, clock.instant());
      return Admission.admitted(started(started, definition.get()));
    }
    SlotClaim claim = store.claimSlot(executionId, limit, clock.instant());
    if (claim.admitted()) {
      return Admission.admitted(started(claim.execution(), definition.get()));
    }
    if (claim.execution().phase().isTerminal()) {
      return Admission.ended();
    }
    return admission.queued(claim, limit, queue);
  }

  private Execution load(String executionId) {
    return store
        .find(executionId)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "execution " + executionId + " is not in the store", "ExecutionNotFound"));
  }

  /** The execution's agent, or empty after failing the execution when it is not defined. */
  private Optional<AgentDefinition> runnableAgent(Execution execution) {
    String agent = execution.spec().agent();
    Optional<AgentDefinition> definition = agents.find(agent);
    if (definition.isEmpty()) {
      store.finish(
          execution.id(),
          Termination.failed(
              new ExecutionError(
                  ExecutionError.AGENT_NOT_RUNNABLE,
                  "agent '" + agent + "' is no longer defined on this server"),
              clock.instant()));
    }
    return definition;
  }

  private AgentInvocation started(Execution started, AgentDefinition agent) {
    log.info(
        "execution started execution={} agent={} callerWorkflow={} callerActivity={} token={}",
        started.id(),
        agent.name(),
        CallerIdentity.workflowIdOf(started.spec().caller()),
        CallerIdentity.activityIdOf(started.spec().caller()),
        started.status().callback().loggedFingerprint());
    return invocationOf(started, agent, store);
  }

  /** The run of a started execution's agent: the agent activity's input. */
  static AgentInvocation invocationOf(
      Execution started, AgentDefinition agent, ExecutionStore store) {
    return new AgentInvocation(
        started.id(),
        agent.name(),
        started.spec().message(),
        started.spec().timeout(),
        TaskQueues.forAgent(agent),
        ConversationHistory.of(started, store));
  }

  @Override
  public void finish(String executionId, AgentOutcome outcome) {
    ends.record(executionId, outcome);
  }

  @Override
  public CallbackState deliverCallback(String executionId) {
    awaitEagerRun(executionId);
    CallbackStatus status = dispatcher.deliver(executionId);
    if (status.state() == CallbackState.PENDING) {
      throw ApplicationFailure.newFailure(
          "callback not delivered yet: " + status.lastError(), CALLBACK_RETRYABLE);
    }
    return status.state();
  }

  /**
   * An eager run ({@link EagerRuns}) delivers the end it recorded itself, and holds its run lease
   * until it has: wait for the lease to end rather than race it with a second completion RPC, which
   * Temporal would refuse as NOT_FOUND (and which could be recorded first, as CALLER_GONE). A run
   * whose server died leaves a lease that lapses; then this step delivers.
   */
  private void awaitEagerRun(String executionId) {
    long deadline = System.nanoTime() + EAGER_DELIVERY_WAIT.toNanos();
    long pauseMillis = 5;
    while (store.lease(executionId).filter(l -> l.isLiveAt(clock.instant())).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw ApplicationFailure.newFailure(
            "an eager run of the execution is still delivering", CALLBACK_RETRYABLE);
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailure(
            "interrupted while waiting for the eager run", CALLBACK_RETRYABLE);
      }
      pauseMillis = Math.min(pauseMillis * 2, 200);
    }
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
        CallerIdentity.workflowIdOf(execution.spec().caller()),
        CallerIdentity.activityIdOf(execution.spec().caller()),
        current.loggedFingerprint(),
        lastError);
  }
}
