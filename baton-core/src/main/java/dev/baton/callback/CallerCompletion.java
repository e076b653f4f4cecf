package dev.baton.callback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionLauncher;
import dev.baton.execution.ExecutionNotFoundException;
import dev.baton.execution.ExecutionStateException;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.ExecutionUnavailableException;
import dev.baton.execution.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes or fails a stuck caller's activity by hand, for operators, with the token Baton holds
 * and through the same {@link CallbackDelivery} as automatic delivery. The token never leaves the
 * server. What was done is recorded: the callback becomes DELIVERED and an {@link
 * ExecutionEvent.Type#OPERATOR_ACTION} event says how.
 */
public final class CallerCompletion {
  private static final Logger log = LoggerFactory.getLogger(CallerCompletion.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExecutionStore store;
  private final CallbackDelivery delivery;
  private final CallbackSettings settings;
  private final ExecutionLauncher launcher;
  private final CallbackObserver observer;
  private final Clock clock;

  public CallerCompletion(
      ExecutionStore store,
      CallbackDelivery delivery,
      CallbackSettings settings,
      ExecutionLauncher launcher,
      CallbackObserver observer,
      Clock clock) {
    this.store = store;
    this.delivery = delivery;
    this.settings = settings;
    this.launcher = launcher;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * Delivers {@code outcome} to the caller of execution {@code id}.
   *
   * @param force also when the agent still runs: the caller is completed first, then the agent is
   *     cancelled, so the agent's own outcome reaches no one
   * @param operator who asked, for the record (the name of their API key), or {@code null} when the
   *     server does not know (it runs without API keys)
   * @return the execution after the manual delivery
   * @throws ExecutionStateException when the execution has no callback, its caller already has an
   *     outcome, the agent still runs without {@code force}, or Temporal refused the token; nothing
   *     was delivered then
   * @throws ExecutionUnavailableException when Temporal could not be reached (nothing delivered),
   *     or when the agent could not be cancelled after the caller was completed
   */
  public Execution complete(String id, ManualOutcome outcome, boolean force, String operator) {
    ExecutionIds.requireWellFormed(id);
    validate(outcome);
    Execution execution = store.find(id).orElseThrow(() -> new ExecutionNotFoundException(id));
    CallbackStatus callback = execution.status().callback();
    requireCompletable(execution, force);
    CallbackToken token =
        store
            .callbackToken(id)
            .orElseThrow(
                () ->
                    new ExecutionStateException(
                        "execution " + id + " has no stored callback token; nothing to complete"));
    long started = System.nanoTime();
    DeliveryAttempt attempt = send(execution, token, outcome);
    observer.delivery(execution, attempt, Duration.ofNanos(System.nanoTime() - started));
    requireDelivered(id, attempt);
    store.recordManualCallback(
        id,
        new CallbackStatus(
            CallbackState.DELIVERED,
            callback.attempts() + 1,
            null,
            clock.instant(),
            token.fingerprint()));
    boolean running = !execution.phase().isTerminal();
    store.appendEvents(
        id,
        List.of(
            ExecutionEvent.of(
                clock.instant(),
                ExecutionEvent.Type.OPERATOR_ACTION,
                describe(operator, outcome, callback, running),
                data(operator, outcome, callback, running))));
    log.info(
        "callback delivered by an operator execution={} operator={} outcome={}"
            + " previousCallback={} callerWorkflow={} callerActivity={} token={}",
        id,
        operator == null ? "-" : operator,
        outcome instanceof ManualOutcome.Result ? "result" : "failure",
        callback.state(),
        CallerIdentity.workflowIdOf(execution.spec().caller()),
        CallerIdentity.activityIdOf(execution.spec().caller()),
        token.fingerprint());
    if (running) {
      cancelAgent(id);
    }
    return store.find(id).orElseThrow(() -> new ExecutionNotFoundException(id));
  }

  private void validate(ManualOutcome outcome) {
    if (outcome instanceof ManualOutcome.Result result) {
      int bytes = result.output().getBytes(StandardCharsets.UTF_8).length;
      if (bytes > settings.outputLimitBytes()) {
        throw new InvalidRequestException(
            "result",
            "is "
                + bytes
                + " bytes; at most "
                + settings.outputLimitBytes()
                + " (the callback output limit) reach a caller");
      }
    } else if (outcome instanceof ManualOutcome.Failure failure) {
      if (failure.message().isBlank()) {
        throw new InvalidRequestException(
            "failure.message", "must say why the call failed; it is empty");
      }
      if (failure.errorType().isBlank()) {
        throw new InvalidRequestException("failure.error_type", "must not be blank");
      }
    }
  }

  private static void requireCompletable(Execution execution, boolean force) {
    String id = execution.id();
    CallbackStatus callback = execution.status().callback();
    if (callback.state() == CallbackState.NONE) {
      throw new ExecutionStateException(
          "execution " + id + " has no callback: it was created without a caller's task token");
    }
    if (callback.state() == CallbackState.DELIVERED) {
      throw new ExecutionStateException(
          "the caller of execution "
              + id
              + " already received its outcome (callback DELIVERED"
              + (callback.deliveredTime() == null ? "" : " at " + callback.deliveredTime())
              + "); there is nothing to complete");
    }
    if (!execution.phase().isTerminal() && !force) {
      throw new ExecutionStateException(
          "execution "
              + id
              + " is "
              + execution.phase()
              + ": its agent still runs and will deliver its own outcome. Wait for it, cancel it"
              + " (baton exec cancel "
              + id
              + "), or force: complete the caller now and cancel the agent (--force)");
    }
  }

  private DeliveryAttempt send(Execution execution, CallbackToken token, ManualOutcome outcome) {
    String namespace =
        execution.spec().caller() == null || execution.spec().caller().namespace().isBlank()
            ? settings.defaultNamespace()
            : execution.spec().caller().namespace();
    if (outcome instanceof ManualOutcome.Result result) {
      return delivery.complete(
          namespace, token.bytes(), CallbackMessages.manualResult(execution, result.output()));
    }
    ManualOutcome.Failure failure = (ManualOutcome.Failure) outcome;
    return delivery.fail(
        namespace,
        token.bytes(),
        new AgentExecutionFailure(
            execution.id(), execution.spec().agent(), failure.errorType(), failure.message()));
  }

  private static void requireDelivered(String id, DeliveryAttempt attempt) {
    switch (attempt.result()) {
      case DELIVERED -> {}
      case CALLER_GONE ->
          throw new ExecutionStateException(
              "Temporal answered that the caller's activity of execution "
                  + id
                  + " no longer exists (it timed out, was cancelled, or already has a result);"
                  + " nothing was delivered. `baton exec describe "
                  + id
                  + "` shows the caller's workflow");
      case REJECTED ->
          throw new ExecutionStateException(
              "Temporal rejected the caller's token of execution "
                  + id
                  + " ("
                  + attempt.error()
                  + "); nothing was delivered. Is this server connected to the caller's Temporal"
                  + " cluster and namespace?");
      case RETRYABLE ->
          throw new ExecutionUnavailableException(
              "could not reach Temporal to complete the caller of execution "
                  + id
                  + " ("
                  + attempt.error()
                  + "); nothing was delivered, retry",
              null);
    }
  }

  private void cancelAgent(String id) {
    try {
      launcher.cancel(id, "its caller was completed by an operator");
    } catch (ExecutionUnavailableException e) {
      throw new ExecutionUnavailableException(
          "the caller of execution "
              + id
              + " was completed, but its agent could not be cancelled ("
              + e.getMessage()
              + "); run baton exec cancel "
              + id,
          e);
    }
  }

  private static String describe(
      String operator, ManualOutcome outcome, CallbackStatus before, boolean running) {
    String who = operator == null ? "an operator" : "an operator (API key '" + operator + "')";
    String what =
        outcome instanceof ManualOutcome.Failure failure
            ? who + " failed the caller with " + failure.errorType() + ": " + failure.message()
            : who
                + " completed the caller with a result of "
                + ((ManualOutcome.Result) outcome).output().length()
                + " characters";
    return what
        + " (callback was "
        + before.state()
        + (before.lastError() == null ? "" : ", last error: " + before.lastError())
        + ")"
        + (running ? "; the agent is cancelled" : "");
  }

  private static String data(
      String operator, ManualOutcome outcome, CallbackStatus before, boolean running) {
    ObjectNode data = JSON.createObjectNode().put("action", "complete-caller");
    if (operator != null) {
      data.put("apiKey", operator);
    }
    if (outcome instanceof ManualOutcome.Failure failure) {
      data.put("outcome", "failure").put("errorType", failure.errorType());
    } else {
      data.put("outcome", "result");
    }
    return data.put("previousCallbackState", before.state().name())
        .put("agentCancelled", running)
        .toString();
  }
}
