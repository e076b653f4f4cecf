package dev.baton.callback;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionNotFoundException;
import dev.baton.execution.ExecutionStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a terminal execution's outcome to its caller, once per call, and records what happened
 * in {@code status.callback}. Two deliveries of the same token on this server at once make one
 * completion RPC, whose outcome both return. Retrying a {@link CallbackState#PENDING} result is the
 * caller's job (the execution workflow does it with backoff).
 */
public final class CallbackDispatcher {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final ExecutionStore store;
  private final CallbackDelivery delivery;
  private final CallbackSettings settings;
  private final CallbackObserver observer;
  private final Clock clock;

  /**
   * The deliveries this server is making, by execution and token: the execution's workflow and a
   * rebound caller's callback workflow may both come to deliver the same token at once.
   */
  private final Map<String, CompletableFuture<CallbackStatus>> inFlight = new ConcurrentHashMap<>();

  public CallbackDispatcher(
      ExecutionStore store,
      CallbackDelivery delivery,
      CallbackSettings settings,
      CallbackObserver observer,
      Clock clock) {
    this.store = store;
    this.delivery = delivery;
    this.settings = settings;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * Tries once to deliver the outcome of the terminal execution {@code executionId}.
   *
   * @return the recorded callback status: final, or PENDING when the attempt may be retried
   */
  public CallbackStatus deliver(String executionId) {
    return deliver(
        store.find(executionId).orElseThrow(() -> new ExecutionNotFoundException(executionId)));
  }

  /** As {@link #deliver(String)}, for the execution as its caller just read or stored it. */
  public CallbackStatus deliver(Execution execution) {
    return deliver(execution, null);
  }

  /**
   * As {@link #deliver(Execution)}, with the token its caller holds (the eager run has the one
   * Create received): used when it is the token the execution was read or stored with, which saves
   * reading the token back and decrypting it. Otherwise (null, or a retried caller attempt bound
   * another since) the stored token is read; a delivery with a token replaced after {@code
   * execution} was read is recorded as stale and ignored, as any delivery that races a rebind.
   */
  public CallbackStatus deliver(Execution execution, CallbackToken knownToken) {
    String executionId = execution.id();
    if (!execution.phase().isTerminal()) {
      throw new IllegalStateException(
          "execution "
              + executionId
              + " is "
              + execution.phase()
              + "; only a terminal one has an outcome to deliver");
    }
    CallbackStatus current = execution.status().callback();
    if (current.state().isFinal()) {
      return current;
    }
    Optional<CallbackToken> token =
        knownToken != null && knownToken.fingerprint().equals(current.tokenFingerprint())
            ? Optional.of(knownToken)
            : store.callbackToken(executionId);
    if (token.isEmpty()) {
      return store.updateCallback(executionId, CallbackStatus.none()).status().callback();
    }
    String key = executionId + "/" + token.get().fingerprint();
    CompletableFuture<CallbackStatus> mine = new CompletableFuture<>();
    CompletableFuture<CallbackStatus> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return outcomeOf(running);
    }
    try {
      CallbackStatus recorded = sendAndRecord(execution, current, token.get());
      mine.complete(recorded);
      return recorded;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  /**
   * The outcome of the delivery of the same token that another thread of this server is making: a
   * second completion RPC with that token would only get NOT_FOUND once the first has completed the
   * caller's activity, and count and log a caller gone that is not.
   */
  private static CallbackStatus outcomeOf(CompletableFuture<CallbackStatus> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private CallbackStatus sendAndRecord(
      Execution execution, CallbackStatus current, CallbackToken token) {
    String executionId = execution.id();
    long started = System.nanoTime();
    DeliveryAttempt attempt = send(execution, token);
    observer.delivery(execution, attempt, Duration.ofNanos(System.nanoTime() - started));
    CallbackStatus next =
        new CallbackStatus(
            stateOf(attempt.result()),
            current.attempts() + 1,
            attempt.error(),
            attempt.result() == DeliveryResult.DELIVERED ? clock.instant() : null,
            token.fingerprint());
    CallbackStatus recorded = store.updateCallback(executionId, next).status().callback();
    logAttempt(execution, token, attempt, next.attempts());
    return recorded;
  }

  private DeliveryAttempt send(Execution execution, CallbackToken token) {
    String namespace =
        execution.spec().caller() == null
            ? settings.defaultNamespace()
            : execution.spec().caller().namespace();
    byte[] bytes = token.bytes();
    return switch (execution.phase()) {
      case COMPLETED ->
          delivery.complete(
              namespace, bytes, CallbackMessages.result(execution, settings.outputLimitBytes()));
      case FAILED -> delivery.fail(namespace, bytes, CallbackMessages.failure(execution));
      // Temporal accepts a cancellation report only for an activity its workflow asked to cancel;
      // any other cancellation (through Baton's API, a caller gone) reaches the caller as a
      // failure.
      case CANCELLED ->
          callerAskedToCancel(execution)
              ? delivery.cancel(namespace, bytes, CallbackMessages.cancellationReason(execution))
              : delivery.fail(namespace, bytes, CallbackMessages.failure(execution));
      default -> throw new IllegalStateException("not terminal: " + execution.phase());
    };
  }

  private static boolean callerAskedToCancel(Execution execution) {
    ExecutionError error = execution.status().error();
    return error != null && ExecutionError.CALLER_CANCELLED.equals(error.type());
  }

  private static CallbackState stateOf(DeliveryResult result) {
    return switch (result) {
      case DELIVERED -> CallbackState.DELIVERED;
      case CALLER_GONE -> CallbackState.CALLER_GONE;
      case REJECTED -> CallbackState.FAILED;
      case RETRYABLE -> CallbackState.PENDING;
    };
  }

  private static void logAttempt(
      Execution execution, CallbackToken token, DeliveryAttempt attempt, int attempts) {
    var caller = execution.spec().caller();
    String callerWorkflow = caller == null ? "-" : caller.workflowId();
    String callerActivity = caller == null ? "-" : caller.activityId();
    if (attempt.result() == DeliveryResult.DELIVERED) {
      log.info(
          "callback delivered execution={} phase={} callerWorkflow={} callerActivity={} token={}"
              + " attempt={}",
          execution.id(),
          execution.phase(),
          callerWorkflow,
          callerActivity,
          token.fingerprint(),
          attempts);
    } else {
      log.warn(
          "callback {} execution={} phase={} callerWorkflow={} callerActivity={} token={}"
              + " attempt={} error={}",
          attempt.result(),
          execution.id(),
          execution.phase(),
          callerWorkflow,
          callerActivity,
          token.fingerprint(),
          attempts,
          attempt.error());
    }
  }
}
