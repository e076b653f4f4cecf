package dev.baton.store.internal;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.ExecutionStatus;
import dev.baton.execution.Termination;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules for changing a stored execution, free of SQL. Each returns the change to store, or
 * empty when the execution must stay as it is.
 */
public final class Transitions {
  private Transitions() {}

  /** A change to store: the new spec and status, and the token to store unless null. */
  public record Change(ExecutionSpec spec, ExecutionStatus status, CallbackToken newToken) {
    static Change of(Execution current, ExecutionStatus status) {
      return new Change(current.spec(), status, null);
    }

    /** {@code current} with this change made, at {@code sequence}. */
    public Execution applyTo(Execution current, long sequence) {
      return new Execution(
          current.id(), current.createTime(), current.labels(), sequence, spec, status);
    }
  }

  public static Optional<Change> start(Execution current, Instant startTime) {
    return move(current, ExecutionPhase.PENDING, ExecutionPhase.IN_PROGRESS, startTime);
  }

  /** IN_PROGRESS back to PENDING, without a start time: an eager start that was abandoned. */
  public static Optional<Change> unstart(Execution current) {
    return move(current, ExecutionPhase.IN_PROGRESS, ExecutionPhase.PENDING, null);
  }

  /** From phase {@code from} to {@code to} with {@code startTime}; empty from any other phase. */
  private static Optional<Change> move(
      Execution current, ExecutionPhase from, ExecutionPhase to, Instant startTime) {
    if (current.phase() != from) {
      return Optional.empty();
    }
    ExecutionStatus status = current.status();
    return Optional.of(
        Change.of(
            current,
            new ExecutionStatus(
                to,
                status.output(),
                status.structuredOutput(),
                status.error(),
                startTime,
                status.endTime(),
                status.callback())));
  }

  /** The first terminal outcome wins; later ones are ignored. */
  public static Optional<Change> finish(Execution current, Termination termination) {
    if (!current.phase().canMoveTo(termination.phase())) {
      return Optional.empty();
    }
    return Optional.of(
        Change.of(
            current,
            new ExecutionStatus(
                termination.phase(),
                termination.output(),
                termination.structuredOutput(),
                termination.error(),
                current.status().startTime(),
                termination.endTime(),
                current.status().callback())));
  }

  /**
   * A final callback state is never replaced (only a rebind starts the callback over): two
   * deliveries racing for one token cannot turn DELIVERED into CALLER_GONE. An update made for
   * another token than the stored one is stale (a rebind replaced the token while it was being
   * delivered) and ignored; the stored fingerprint is kept, since only a rebind changes the token.
   */
  public static Optional<Change> callback(Execution current, CallbackStatus next) {
    CallbackStatus stored = current.status().callback();
    String fingerprint = stored.tokenFingerprint();
    boolean otherToken =
        next.tokenFingerprint() != null
            && fingerprint != null
            && !next.tokenFingerprint().equals(fingerprint);
    boolean reopens = stored.state().isFinal();
    CallbackStatus merged =
        new CallbackStatus(
            next.state(), next.attempts(), next.lastError(), next.deliveredTime(), fingerprint);
    if (otherToken || reopens || merged.equals(stored)) {
      return Optional.empty();
    }
    return Optional.of(Change.of(current, current.status().withCallback(merged)));
  }

  /**
   * An outcome an operator delivered by hand: replaces any callback state but DELIVERED, for the
   * stored token only (a token replaced meanwhile was not the one completed).
   */
  public static Optional<Change> manualCallback(Execution current, CallbackStatus next) {
    CallbackStatus stored = current.status().callback();
    if (stored.state() == CallbackState.DELIVERED
        || stored.tokenFingerprint() == null
        || !stored.tokenFingerprint().equals(next.tokenFingerprint())
        || next.equals(stored)) {
      return Optional.empty();
    }
    return Optional.of(Change.of(current, current.status().withCallback(next)));
  }

  /** Binds a retried attempt's token: the callback starts over, whatever the old one's outcome. */
  public static Optional<Change> rebind(
      Execution current, CallbackToken token, CallerIdentity caller) {
    CallbackStatus callback = CallbackStatus.pending(token.fingerprint());
    ExecutionSpec spec = current.spec();
    if (callback.equals(current.status().callback()) && Objects.equals(caller, spec.caller())) {
      return Optional.empty(); // the same attempt rebinding twice
    }
    ExecutionSpec rebound = spec.withCaller(caller);
    return Optional.of(new Change(rebound, current.status().withCallback(callback), token));
  }
}
