package dev.baton.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable record of executions. Every change increments the execution's sequence and is kept as a
 * snapshot, so Watch can replay changes in order without gaps.
 *
 * <p>Implementations are safe for concurrent use from several threads and several processes sharing
 * one database. Methods that change an execution throw {@link ExecutionNotFoundException} for an
 * unknown id.
 */
public interface ExecutionStore {

  /**
   * Stores a new PENDING execution, or returns the existing one when an execution with the same
   * idempotency key exists. Atomic: concurrent duplicates create exactly one execution.
   */
  CreateResult create(NewExecution execution);

  /**
   * As {@link #create}, but a new execution is stored IN_PROGRESS, started at its create time,
   * together with {@code lease}, atomically: its agent is to run at once, outside its agent
   * activity ({@link EagerRuns}). An existing execution for the idempotency key is returned
   * unchanged, and no lease is taken.
   */
  CreateResult createLeased(NewExecution execution, RunLease lease);

  /**
   * Undoes {@link #createLeased} when the execution's workflow could not be started: back to
   * PENDING without a start time, and the lease dropped, atomically, if {@code owner} still holds
   * the lease and the execution is IN_PROGRESS.
   *
   * @return false, and nothing changed, otherwise
   */
  boolean abandonLeased(String id, String owner);

  Optional<Execution> find(String id);

  /** One page, newest first. */
  ExecutionPage list(ExecutionQuery query);

  /** The raw callback token, for delivery only; empty when the execution has none or is unknown. */
  Optional<CallbackToken> callbackToken(String id);

  /**
   * Binds a retried caller attempt's token to the execution: the callback becomes PENDING again
   * with the new token's fingerprint and no attempts, whatever the old token's outcome was.
   */
  Execution rebindCallback(String id, CallbackToken token, CallerIdentity caller);

  /** PENDING to IN_PROGRESS; an execution already past PENDING is returned unchanged. */
  Execution markInProgress(String id, Instant startTime);

  /**
   * PENDING to IN_PROGRESS if a slot of the execution's agent is free: fewer than {@code
   * maxConcurrent} executions of that agent are IN_PROGRESS or PENDING and created before it, so
   * that queued executions start in creation order. Atomic across threads and processes sharing the
   * database: an agent never runs more than {@code maxConcurrent} executions admitted this way. An
   * execution already past PENDING is returned unchanged (admitted when IN_PROGRESS).
   */
  SlotClaim claimSlot(String id, int maxConcurrent, Instant startTime);

  /**
   * Extends to {@code lease.expiresAt()} every lease of {@code ids} that {@code lease.owner()}
   * holds on an execution still IN_PROGRESS, in one transaction: a server renews all its runs'
   * leases at once.
   *
   * @return the ids renewed; a run whose id is missing lost its lease or its execution ended, and
   *     must stop
   */
  Set<String> renewLeases(Collection<String> ids, RunLease lease);

  /**
   * Drops the lease if {@code owner} holds it. A lease also ends with its execution: the {@link
   * #finish}, {@link #updateCallback} or {@link #recordManualCallback} that leaves the execution
   * ended with a final callback drops it in the same transaction.
   */
  void releaseLease(String id, String owner);

  /** The execution's run lease, live or lapsed; empty when none is held. */
  Optional<RunLease> lease(String id);

  /** Ids of the agent's PENDING executions, oldest first, at most {@code limit} (1 or more). */
  List<String> pendingOf(String agent, int limit);

  /**
   * Records the terminal outcome. The first terminal outcome wins: an execution already terminal is
   * returned unchanged.
   */
  Execution finish(String id, Termination termination);

  /**
   * Records the state of callback delivery. A final callback state is not replaced by PENDING
   * except through {@link #rebindCallback}. An update whose token fingerprint differs from the
   * stored one is ignored: it is about a token that a retried caller attempt has replaced, and must
   * not overwrite the new token's state.
   */
  Execution updateCallback(String id, CallbackStatus callback);

  /**
   * Records an outcome an operator delivered to the caller by hand. Unlike {@link #updateCallback},
   * it replaces a final FAILED or CALLER_GONE state; it never replaces DELIVERED (the caller had
   * its outcome) and, like it, ignores an update for another token than the stored one.
   */
  Execution recordManualCallback(String id, CallbackStatus callback);

  /**
   * Stored changes with a sequence above {@code afterSequence}, oldest first, at most {@code limit}
   * (1 or more); empty for an unknown id. Each is the status as it was at that sequence, with the
   * execution's current labels and spec.
   */
  List<Execution> changesSince(String id, long afterSequence, int limit);

  /**
   * Appends progress events to the execution's event log, in the given order, numbering them after
   * the last stored event (the events' own sequence is ignored). Atomic: either all are stored or
   * none.
   *
   * @return the stored events with their numbers
   * @throws ExecutionNotFoundException for an unknown id
   */
  List<ExecutionEvent> appendEvents(String executionId, List<ExecutionEvent> events);

  /**
   * Stored events with a sequence above {@code afterSequence}, oldest first, at most {@code limit}
   * (1 or more); empty for an unknown id.
   */
  List<ExecutionEvent> eventsSince(String executionId, long afterSequence, int limit);

  /** Executions whose callback is still PENDING, oldest first (for reconciliation). */
  List<Execution> withPendingCallback(int limit);

  /** Counts for gauges: executions in progress and the ages of pending callbacks. */
  ExecutionStats stats();

  /**
   * Deletes, with their changes, events and leases, up to {@code limit} executions that have ended
   * and whose callback is settled (not {@code PENDING}), and that nothing changed for {@code
   * unchangedFor} (the database's clock), oldest first.
   *
   * @param createdBefore only executions created before this (by their id's time) are looked at;
   *     any bound that holds every execution unchanged for {@code unchangedFor} will do, it only
   *     narrows the search
   * @return the ids deleted
   */
  List<String> deleteSettled(Duration unchangedFor, Instant createdBefore, int limit);
}
