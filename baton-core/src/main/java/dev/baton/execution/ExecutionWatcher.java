package dev.baton.execution;

import java.time.Duration;
import java.util.List;

/**
 * Streams an execution's stored changes in order: its current state first, then every change,
 * ending after a terminal phase has been sent. Never skips, repeats or reorders a sequence.
 */
public final class ExecutionWatcher {
  private static final int BATCH = 100;

  private final ExecutionStore store;
  private final ExecutionChangeSignal signal;
  private final Duration pollInterval;

  public ExecutionWatcher(
      ExecutionStore store, ExecutionChangeSignal signal, Duration pollInterval) {
    this.store = store;
    this.signal = signal;
    this.pollInterval = pollInterval;
  }

  /** Where a watch sends its updates. */
  public interface Sink {
    /** Whether the receiver went away; the watch then ends quietly. */
    boolean isClosed();

    void send(Execution execution);
  }

  /**
   * Blocks until the terminal state was sent or the sink closed.
   *
   * @throws ExecutionNotFoundException when the id is unknown
   */
  public void watch(String executionId, Sink sink) throws InterruptedException {
    long seen = signal.generation();
    Execution current =
        store.find(executionId).orElseThrow(() -> new ExecutionNotFoundException(executionId));
    sink.send(current);
    long sequence = current.sequence();
    if (current.phase().isTerminal()) {
      return;
    }
    while (!sink.isClosed()) {
      List<Execution> changes = store.changesSince(executionId, sequence, BATCH);
      for (Execution change : changes) {
        if (sink.isClosed()) {
          return;
        }
        sink.send(change);
        sequence = change.sequence();
        if (change.phase().isTerminal()) {
          return;
        }
      }
      if (changes.size() < BATCH) {
        signal.awaitAfter(seen, pollInterval);
        seen = signal.generation();
      }
    }
  }
}
