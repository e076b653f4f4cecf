package dev.baton.execution;

import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API does with executions: create (idempotently), read, list and cancel. The gRPC layer
 * maps requests to these calls and these exceptions to status codes: {@link
 * InvalidRequestException}, {@link AgentNotFoundException}, {@link ExecutionNotFoundException} and
 * {@link ExecutionUnavailableException}.
 */
public final class ExecutionService {
  private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);

  /** Longest cancel reason accepted. */
  static final int MAX_CANCEL_REASON = 1000;

  private final ExecutionStore store;
  private final AgentCatalog agents;
  private final ExecutionLauncher launcher;
  private final ExecutionIds ids;
  private final Clock clock;
  private final CreateRequestValidator validator;
  private final EagerStart eager;

  public ExecutionService(
      ExecutionStore store,
      AgentCatalog agents,
      ExecutionLauncher launcher,
      ExecutionIds ids,
      Clock clock,
      ExecutionLimits limits) {
    this(store, agents, launcher, ids, clock, limits, EagerStart.NONE);
  }

  /**
   * @param eager asked at every Create whether the new execution's agent can run at once, and told
   *     of every cancel
   */
  public ExecutionService(
      ExecutionStore store,
      AgentCatalog agents,
      ExecutionLauncher launcher,
      ExecutionIds ids,
      Clock clock,
      ExecutionLimits limits,
      EagerStart eager) {
    this.eager = eager;
    this.store = store;
    this.agents = agents;
    this.launcher = launcher;
    this.ids = ids;
    this.clock = clock;
    this.validator = new CreateRequestValidator(limits);
  }

  /**
   * Creates and starts an execution, or returns the existing one for the same caller or request id.
   * Nothing is stored when the request is invalid or names an unknown agent.
   *
   * @throws IdempotencyConflictException when the caller or request id already created an execution
   *     with a different request (see {@link RepeatedCreate})
   * @throws ExecutionUnavailableException when the workflow could not be started; the execution
   *     stays PENDING and a retried Create starts it (an eager agent that ended meanwhile keeps its
   *     end, and then Create answers with the execution). Not for an eager agent whose workflow
   *     start is deferred: Create answers once the execution is stored, and the workflow start is
   *     retried while the agent runs
   */
  public Execution create(CreateExecution request) {
    validator.validate(request);
    AgentDefinition agent =
        agents
            .find(request.agent())
            .orElseThrow(
                () ->
                    new AgentNotFoundException(
                        request.agent(),
                        agents.list().stream().map(AgentDefinition::name).toList()));
    CallbackToken token =
        request.callbackToken() == null || request.callbackToken().length == 0
            ? null
            : CallbackToken.of(request.callbackToken());
    requireContinuable(request.previousExecutionId(), agent.name());
    ExecutionSpec spec =
        new ExecutionSpec(
            agent.name(),
            request.message(),
            request.caller(),
            request.timeout() == null ? agent.timeout() : request.timeout(),
            request.callerHeartbeatTimeout(),
            request.onCallerGone() == null ? agent.onCallerGone() : request.onCallerGone(),
            request.previousExecutionId());
    NewExecution fresh =
        new NewExecution(
            ids.next(), clock.instant(), request.labels(), spec, token, idempotencyKey(request));
    Optional<EagerStart.Claim> claim = eager.claim(agent);
    CreateResult result;
    try {
      result =
          claim.isPresent() ? store.createLeased(fresh, claim.get().lease()) : store.create(fresh);
    } catch (RuntimeException e) {
      claim.ifPresent(EagerStart.Claim::release);
      throw e;
    }
    Execution execution = result.execution();
    if (result.created()) {
      log.info(
          "execution created execution={} agent={} callerWorkflow={} callerActivity={} token={}",
          execution.id(),
          agent.name(),
          CallerIdentity.workflowIdOf(request.caller()),
          CallerIdentity.activityIdOf(request.caller()),
          token == null ? "-" : token.fingerprint());
      if (claim.isPresent()) {
        String id = execution.id();
        claim.get().launch(execution, token, () -> startForCreate(id));
        return execution;
      }
    } else {
      claim.ifPresent(EagerStart.Claim::release);
      RepeatedCreate.requireSame(execution, request, agent.name());
    }
    if (!result.created() && token != null) {
      execution = rebind(execution, token, request.caller());
    }
    if (execution.phase() == ExecutionPhase.PENDING) {
      // Also for an existing PENDING execution: its first start may have failed.
      startForCreate(execution.id());
    }
    return execution;
  }

  /** Starts the workflow for a Create, whose caller learns what to do when it cannot start. */
  private void startForCreate(String executionId) {
    try {
      launcher.start(executionId);
    } catch (ExecutionUnavailableException e) {
      throw new ExecutionUnavailableException(
          e.getMessage() + "; the execution stays PENDING, retry the request", e.getCause());
    }
  }

  /**
   * A retried caller attempt carries a new token (Temporal invalidated the old one): bind it to the
   * running execution, or deliver the stored outcome to it at once if the execution ended.
   */
  private Execution rebind(Execution existing, CallbackToken token, CallerIdentity caller) {
    if (token.fingerprint().equals(existing.status().callback().tokenFingerprint())) {
      return existing;
    }
    Execution rebound = store.rebindCallback(existing.id(), token, caller);
    log.info(
        "execution rebound execution={} callerWorkflow={} callerActivity={} attempt={} token={}"
            + " phase={}",
        existing.id(),
        caller == null ? "-" : caller.workflowId(),
        caller == null ? "-" : caller.activityId(),
        caller == null ? "-" : caller.attempt(),
        token.fingerprint(),
        rebound.phase());
    if (rebound.phase().isTerminal()) {
      launcher.redeliver(rebound.id(), token.fingerprint());
    }
    return rebound;
  }

  public Execution get(String id) {
    ExecutionIds.requireWellFormed(id);
    return store.find(id).orElseThrow(() -> new ExecutionNotFoundException(id));
  }

  public Optional<Execution> find(String id) {
    return ExecutionIds.isWellFormed(id) ? store.find(id) : Optional.empty();
  }

  /** Counts for operators; see {@link ExecutionStats}. */
  public ExecutionStats stats() {
    return store.stats();
  }

  /** The oldest executions whose callback is still pending. */
  public List<Execution> oldestPendingCallbacks(int limit) {
    return limit == 0 ? List.of() : store.withPendingCallback(limit);
  }

  /**
   * @throws InvalidRequestException when the label filter has labels no execution could carry
   */
  public ExecutionPage list(ExecutionQuery query) {
    if (query.agent() != null) {
      CreateRequestValidator.requireNoNul("agent", query.agent());
    }
    validator.validateLabels(query.labels());
    return store.list(query);
  }

  /**
   * Asks the execution to stop. The agent is stopped, the execution ends CANCELLED and the caller
   * sees a cancellation. A finished execution is returned unchanged.
   */
  public Execution cancel(String id, String reason) {
    if (reason != null && reason.length() > MAX_CANCEL_REASON) {
      // The reason is stored and reaches the caller in its failure: bound it like a message.
      throw new InvalidRequestException(
          "reason", "must be at most " + MAX_CANCEL_REASON + " characters, got " + reason.length());
    }
    if (reason != null) {
      CreateRequestValidator.requireNoNul("reason", reason);
    }
    Execution execution = get(id);
    if (execution.phase().isTerminal()) {
      return execution;
    }
    String why = reason == null || reason.isBlank() ? "cancelled through the API" : reason;
    if (!launcher.cancel(id, why)) {
      // Its workflow has closed: the execution ended meanwhile and keeps its end, or it was lost.
      Execution now = get(id);
      if (now.phase().isTerminal()) {
        return now;
      }
      throw new ExecutionUnavailableException(
          "the workflow of execution "
              + id
              + " has closed without recording an end; the reconciler records the execution"
              + " lost and tells its caller",
          null);
    }
    log.info("execution cancel requested execution={} reason={}", id, why);
    eager.cancel(id, why);
    return get(id);
  }

  /** A conversation continues a COMPLETED execution of the same agent. */
  private void requireContinuable(String previousId, String agent) {
    if (previousId == null) {
      return;
    }
    if (!ExecutionIds.isWellFormed(previousId)) {
      throw new InvalidRequestException(
          "spec.previous_execution_id",
          "expected an execution id, got " + InvalidRequestException.quoted(previousId));
    }
    Execution previous =
        store
            .find(previousId)
            .orElseThrow(
                () ->
                    new InvalidRequestException(
                        "spec.previous_execution_id", "no execution with id " + previousId));
    if (!previous.spec().agent().equals(agent)) {
      throw new InvalidRequestException(
          "spec.previous_execution_id",
          "execution "
              + previousId
              + " ran agent '"
              + previous.spec().agent()
              + "'; a conversation continues with the same agent, here '"
              + agent
              + "'");
    }
    if (previous.phase() != ExecutionPhase.COMPLETED) {
      throw new InvalidRequestException(
          "spec.previous_execution_id",
          "execution "
              + previousId
              + " is "
              + previous.phase()
              + "; only a COMPLETED execution can be continued");
    }
  }

  private static String idempotencyKey(CreateExecution request) {
    if (request.caller() != null) {
      return request.caller().idempotencyKey();
    }
    return request.requestId() == null || request.requestId().isBlank()
        ? null
        : "request:" + request.requestId();
  }
}
