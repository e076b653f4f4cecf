package dev.baton.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** An {@link ExecutionStore} that wakes this process's watchers after every change. */
public final class SignallingExecutionStore implements ExecutionStore {
  private final ExecutionStore delegate;
  private final ExecutionChangeSignal signal;

  public SignallingExecutionStore(ExecutionStore delegate, ExecutionChangeSignal signal) {
    this.delegate = delegate;
    this.signal = signal;
  }

  @Override
  public CreateResult create(NewExecution execution) {
    return signalled(delegate.create(execution));
  }

  @Override
  public Optional<Execution> find(String id) {
    return delegate.find(id);
  }

  @Override
  public ExecutionPage list(ExecutionQuery query) {
    return delegate.list(query);
  }

  @Override
  public Optional<CallbackToken> callbackToken(String id) {
    return delegate.callbackToken(id);
  }

  @Override
  public Execution rebindCallback(String id, CallbackToken token, CallerIdentity caller) {
    return signalled(delegate.rebindCallback(id, token, caller));
  }

  @Override
  public Execution markInProgress(String id, Instant startTime) {
    return signalled(delegate.markInProgress(id, startTime));
  }

  @Override
  public SlotClaim claimSlot(String id, int maxConcurrent, Instant startTime) {
    return signalled(delegate.claimSlot(id, maxConcurrent, startTime));
  }

  @Override
  public CreateResult createLeased(NewExecution execution, RunLease lease) {
    return signalled(delegate.createLeased(execution, lease));
  }

  @Override
  public boolean abandonLeased(String id, String owner) {
    boolean abandoned = delegate.abandonLeased(id, owner);
    if (abandoned) {
      signal.changed();
    }
    return abandoned;
  }

  @Override
  public Set<String> renewLeases(Collection<String> ids, RunLease lease) {
    return delegate.renewLeases(ids, lease);
  }

  @Override
  public void releaseLease(String id, String owner) {
    delegate.releaseLease(id, owner);
  }

  @Override
  public Optional<RunLease> lease(String id) {
    return delegate.lease(id);
  }

  @Override
  public List<String> pendingOf(String agent, int limit) {
    return delegate.pendingOf(agent, limit);
  }

  @Override
  public Execution finish(String id, Termination termination) {
    return signalled(delegate.finish(id, termination));
  }

  @Override
  public Execution updateCallback(String id, CallbackStatus callback) {
    return signalled(delegate.updateCallback(id, callback));
  }

  @Override
  public Execution recordManualCallback(String id, CallbackStatus callback) {
    return signalled(delegate.recordManualCallback(id, callback));
  }

  @Override
  public List<Execution> changesSince(String id, long afterSequence, int limit) {
    return delegate.changesSince(id, afterSequence, limit);
  }

  @Override
  public List<ExecutionEvent> appendEvents(String executionId, List<ExecutionEvent> events) {
    return signalled(delegate.appendEvents(executionId, events));
  }

  @Override
  public List<ExecutionEvent> eventsSince(String executionId, long afterSequence, int limit) {
    return delegate.eventsSince(executionId, afterSequence, limit);
  }

  @Override
  public List<Execution> withPendingCallback(int limit) {
    return delegate.withPendingCallback(limit);
  }

  @Override
  public List<String> deleteSettled(Duration unchangedFor, Instant createdBefore, int limit) {
    return delegate.deleteSettled(unchangedFor, createdBefore, limit);
  }

  private <T> T signalled(T result) {
    signal.changed();
    return result;
  }

  @Override
  public ExecutionStats stats() {
    return delegate.stats();
  }
}
