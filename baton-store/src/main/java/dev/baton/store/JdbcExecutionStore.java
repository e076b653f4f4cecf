package dev.baton.store;

import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.CreateResult;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionNotFoundException;
import dev.baton.execution.ExecutionPage;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.execution.ExecutionStats;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.NewExecution;
import dev.baton.execution.RunLease;
import dev.baton.execution.SlotClaim;
import dev.baton.execution.Termination;
import dev.baton.store.internal.EventTable;
import dev.baton.store.internal.ExecutionJson;
import dev.baton.store.internal.ExecutionTable;
import dev.baton.store.internal.LeaseTable;
import dev.baton.store.internal.TokenColumn;
import dev.baton.store.internal.Transitions;
import dev.baton.store.internal.Transitions.Change;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ExecutionStore} on SQLite or PostgreSQL.
 *
 * <p>Every change runs in one transaction that reads the row (locked on PostgreSQL, under SQLite's
 * write lock), applies the rules of {@link Transitions}, updates the row only if its sequence is
 * still the one read, and inserts the new status into {@code execution_changes}. The sequence check
 * makes a lost update impossible even without the lock; a transaction that loses it starts over.
 * Creation relies on the unique idempotency key ({@code ON CONFLICT DO NOTHING}) rather than a
 * check before the insert, so concurrent duplicates create one execution in every process.
 *
 * <p>The callback token is stored in its own column only, never in the JSON of spec or status, and
 * encrypted there by a {@link TokenCipher}: reading it back needs the key that wrote it.
 */
public final class JdbcExecutionStore implements ExecutionStore {
  /** Each retry follows a change that another writer committed, so this bounds only pathologies. */
  private static final int MAX_ATTEMPTS = 100;

  /** Rows per transaction when encrypting plaintext tokens: short transactions, few round trips. */
  private static final int MIGRATION_BATCH = 500;

  private final Database database;
  private final Jdbi jdbi;
  private final ExecutionTable table;
  private final EventTable events;
  private final LeaseTable leases = new LeaseTable();
  private final TokenCipher tokens;
  private final TokenColumn tokenColumn;

  /**
   * A store whose tokens are encrypted with a key that lives only as long as this object: tokens
   * stored by it cannot be read after a restart. For tests and throwaway stores.
   */
  public JdbcExecutionStore(Database database) {
    this(database, TokenCipher.ephemeral());
  }

  /**
   * @param tokens encrypts callback tokens before they are stored and decrypts them on read
   */
  public JdbcExecutionStore(Database database, TokenCipher tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.database = database;
    this.jdbi = database.jdbi();
    this.table = new ExecutionTable(database.dialect(), new ExecutionJson());
    this.events = new EventTable(database.dialect());
    this.tokenColumn = new TokenColumn(database.dialect());
  }

  /**
   * Encrypts every callback token that a Baton from before token encryption stored in plaintext,
   * with the current key, {@value #MIGRATION_BATCH} rows per transaction. Idempotent, and safe
   * while other servers use or migrate the same database: a row is only replaced if it still holds
   * the plaintext read. Servers run it on start.
   *
   * @return how many tokens this call encrypted
   */
  public int encryptPlaintextTokens() {
    return encryptPlaintextTokens(MIGRATION_BATCH);
  }

  /** {@link #encryptPlaintextTokens()} with {@code batchSize} rows per transaction. */
  int encryptPlaintextTokens(int batchSize) {
    requirePositive(batchSize);
    int encrypted = 0;
    String after = "";
    while (true) {
      String from = after;
      int[] done = new int[1];
      List<TokenColumn.StoredToken> batch =
          database.inTransaction(
              handle -> {
                List<TokenColumn.StoredToken> rows =
                    tokenColumn.plaintextAfter(handle, from, batchSize);
                for (TokenColumn.StoredToken row : rows) {
                  if (!TokenCipher.isEncrypted(row.token())
                      && tokenColumn.replace(
                          handle, row.id(), row.token(), tokens.encrypt(row.token()))) {
                    done[0]++;
                  }
                }
                return rows;
              });
      encrypted += done[0];
      if (batch.size() < batchSize) {
        return encrypted;
      }
      after = batch.get(batch.size() - 1).id();
    }
  }

  @Override
  public CreateResult create(NewExecution execution) {
    Objects.requireNonNull(execution, "execution");
    return insertOrFind(execution, execution.toExecution(), null);
  }

  @Override
  public CreateResult createLeased(NewExecution execution, RunLease lease) {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(lease, "lease");
    Execution pending = execution.toExecution();
    Execution started =
        Transitions.start(pending, pending.createTime())
            .map(change -> change.applyTo(pending, pending.sequence()))
            .orElseThrow();
    return insertOrFind(execution, started, lease);
  }

  /** Inserts {@code stored} (and takes {@code lease} unless null), or finds the existing one. */
  private CreateResult insertOrFind(NewExecution execution, Execution stored, RunLease lease) {
    CallbackToken token = execution.callbackToken();
    byte[] storedToken = token == null ? null : tokens.encrypt(token.bytes());
    return database.inTransaction(
        handle -> {
          if (table.insert(handle, stored, execution.idempotencyKey(), storedToken)) {
            if (lease != null) {
              leases.put(handle, stored.id(), lease);
            }
            return new CreateResult(stored, true);
          }
          Execution existing =
              table
                  .findByIdempotencyKey(handle, execution.idempotencyKey())
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "execution " + execution.id() + " was neither inserted nor found"));
          return new CreateResult(existing, false);
        });
  }

  @Override
  public Optional<Execution> find(String id) {
    return jdbi.withHandle(handle -> table.find(handle, id));
  }

  @Override
  public ExecutionPage list(ExecutionQuery query) {
    // One row more than the page tells whether another page follows.
    List<Execution> rows =
        jdbi.withHandle(handle -> table.list(handle, query, query.pageSize() + 1));
    if (rows.size() <= query.pageSize()) {
      return new ExecutionPage(rows, null);
    }
    List<Execution> page = rows.subList(0, query.pageSize());
    return new ExecutionPage(page, page.get(page.size() - 1).id());
  }

  @Override
  public Optional<CallbackToken> callbackToken(String id) {
    return jdbi.withHandle(handle -> table.callbackToken(handle, id))
        .map(stored -> CallbackToken.of(tokens.decrypt(stored)));
  }

  @Override
  public Execution rebindCallback(String id, CallbackToken token, CallerIdentity caller) {
    Objects.requireNonNull(token, "token");
    return change(id, current -> Transitions.rebind(current, token, caller));
  }

  @Override
  public Execution markInProgress(String id, Instant startTime) {
    Objects.requireNonNull(startTime, "startTime");
    return change(id, current -> Transitions.start(current, startTime));
  }

  @Override
  public SlotClaim claimSlot(String id, int maxConcurrent, Instant startTime) {
    Objects.requireNonNull(startTime, "startTime");
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be 1 or more, got " + maxConcurrent);
    }
    String agent = find(id).orElseThrow(() -> new ExecutionNotFoundException(id)).spec().agent();
    return retried(
        id,
        handle -> {
          // Claims of one agent queue here, so two cannot both take the last slot.
          table.lockAgent(handle, agent);
          Execution current =
              table.findForUpdate(handle, id).orElseThrow(() -> new ExecutionNotFoundException(id));
          if (current.phase() != ExecutionPhase.PENDING) {
            return Optional.of(
                new SlotClaim(current, current.phase() == ExecutionPhase.IN_PROGRESS, 0));
          }
          long ahead = table.countAhead(handle, agent, id);
          if (ahead >= maxConcurrent) {
            return Optional.of(new SlotClaim(current, false, ahead));
          }
          return tryChange(handle, id, c -> Transitions.start(c, startTime))
              .map(started -> new SlotClaim(started, true, ahead));
        });
  }

  @Override
  public boolean abandonLeased(String id, String owner) {
    Objects.requireNonNull(owner, "owner");
    return retried(
        id,
        handle -> {
          Execution current =
              table.findForUpdate(handle, id).orElseThrow(() -> new ExecutionNotFoundException(id));
          boolean held =
              leases.find(handle, id).map(lease -> lease.owner().equals(owner)).orElse(false);
          if (!held || current.phase() != ExecutionPhase.IN_PROGRESS) {
            return Optional.of(false);
          }
          Optional<Boolean> changed =
              tryChange(handle, id, Transitions::unstart).map(execution -> true);
          changed.ifPresent(done -> leases.delete(handle, id, owner));
          return changed;
        });
  }

  @Override
  public Set<String> renewLeases(Collection<String> ids, RunLease lease) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(lease, "lease");
    if (ids.isEmpty()) {
      return Set.of();
    }
    return database.inTransaction(handle -> leases.renew(handle, ids, lease));
  }

  @Override
  public void releaseLease(String id, String owner) {
    Objects.requireNonNull(owner, "owner");
    database.inTransaction(
        handle -> {
          leases.delete(handle, id, owner);
          return null;
        });
  }

  @Override
  public Optional<RunLease> lease(String id) {
    return jdbi.withHandle(handle -> leases.find(handle, id));
  }

  @Override
  public List<String> pendingOf(String agent, int limit) {
    Objects.requireNonNull(agent, "agent");
    requirePositive(limit);
    return jdbi.withHandle(handle -> table.pendingOf(handle, agent, limit));
  }

  @Override
  public Execution finish(String id, Termination termination) {
    Objects.requireNonNull(termination, "termination");
    return changeAndSettle(id, current -> Transitions.finish(current, termination));
  }

  @Override
  public Execution updateCallback(String id, CallbackStatus callback) {
    Objects.requireNonNull(callback, "callback");
    return changeAndSettle(id, current -> Transitions.callback(current, callback));
  }

  @Override
  public Execution recordManualCallback(String id, CallbackStatus callback) {
    Objects.requireNonNull(callback, "callback");
    return changeAndSettle(id, current -> Transitions.manualCallback(current, callback));
  }

  @Override
  public List<Execution> changesSince(String id, long afterSequence, int limit) {
    requirePositive(limit);
    return jdbi.withHandle(handle -> table.changes(handle, id, afterSequence, limit));
  }

  @Override
  public List<ExecutionEvent> appendEvents(String executionId, List<ExecutionEvent> events) {
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      if (find(executionId).isEmpty()) {
        throw new ExecutionNotFoundException(executionId);
      }
      return List.of();
    }
    return database.inTransaction(
        handle -> {
          if (!this.events.lockExecution(handle, executionId)) {
            throw new ExecutionNotFoundException(executionId);
          }
          long last = this.events.lastSequence(handle, executionId);
          return this.events.insert(handle, executionId, last, events);
        });
  }

  @Override
  public List<ExecutionEvent> eventsSince(String executionId, long afterSequence, int limit) {
    requirePositive(limit);
    return jdbi.withHandle(handle -> events.since(handle, executionId, afterSequence, limit));
  }

  @Override
  public List<Execution> withPendingCallback(int limit) {
    requirePositive(limit);
    return jdbi.withHandle(handle -> table.withPendingCallback(handle, limit));
  }

  @Override
  public ExecutionStats stats() {
    return jdbi.withHandle(
        handle ->
            new ExecutionStats(
                table.countInPhase(handle, ExecutionPhase.IN_PROGRESS),
                table.pendingCallbackCreateTimes(handle),
                table.callbackOutcomesWithin(handle, 3600),
                table.pendingByAgent(handle)));
  }

  @Override
  public List<String> deleteSettled(Duration unchangedFor, Instant createdBefore, int limit) {
    return database.inTransaction(
        handle ->
            table.deleteSettled(handle, unchangedFor, ExecutionIds.lowestAt(createdBefore), limit));
  }

  private Execution change(String id, Function<Execution, Optional<Change>> rule) {
    return retried(id, handle -> tryChange(handle, id, rule));
  }

  /**
   * Runs {@code attempt} in a transaction until it returns a value: empty means another writer
   * changed execution {@code id} underneath, and the transaction is tried again.
   */
  private <T> T retried(String id, HandleCallback<Optional<T>, RuntimeException> attempt) {
    for (int tries = 1; tries <= MAX_ATTEMPTS; tries++) {
      Optional<T> result = database.inTransaction(attempt);
      if (result.isPresent()) {
        return result.get();
      }
    }
    throw new IllegalStateException(
        "execution " + id + " kept changing underneath; gave up after " + MAX_ATTEMPTS + " tries");
  }

  /**
   * A change that may settle the execution: when it leaves it ended with a final callback, its run
   * lease, if any, is dropped in the same transaction (nothing is left for a run to do).
   */
  private Execution changeAndSettle(String id, Function<Execution, Optional<Change>> rule) {
    return retried(
        id,
        handle -> {
          Optional<Execution> next = tryChange(handle, id, rule);
          next.filter(JdbcExecutionStore::settled)
              .ifPresent(settled -> leases.deleteAny(handle, id));
          return next;
        });
  }

  private static boolean settled(Execution execution) {
    return execution.phase().isTerminal() && execution.status().callback().state().isFinal();
  }

  /** The execution after the change, or empty when another writer changed it first. */
  private Optional<Execution> tryChange(
      Handle handle, String id, Function<Execution, Optional<Change>> rule) {
    Execution current =
        table.findForUpdate(handle, id).orElseThrow(() -> new ExecutionNotFoundException(id));
    Optional<Change> change = rule.apply(current);
    if (change.isEmpty()) {
      return Optional.of(current);
    }
    Execution next = change.get().applyTo(current, current.sequence() + 1);
    CallbackToken newToken = change.get().newToken();
    byte[] tokenBytes = newToken == null ? null : tokens.encrypt(newToken.bytes());
    return table.update(handle, current, next, tokenBytes);
  }

  private static void requirePositive(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
  }
}
