package dev.baton.execution;

import java.time.Duration;
import java.util.List;

/**
 * Streams an execution's stored changes and progress events in order: its current state first, then
 * every change and every event, ending after a terminal phase has been sent. Never skips, repeats
 * or reorders a change's sequence or an event's sequence; events stored before the terminal change
 * are all sent before it. For an execution that already ended, its stored events are sent first,
 * then its state.
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

    /** Receives a progress event. */
    void send(ExecutionEvent event);
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
    if (current.phase().isTerminal()) {
      sendEvents(executionId, 0, sink);
      if (!sink.isClosed()) {
        sink.send(current);
      }
      return;
    }
    sink.send(current);
    long sequence = current.sequence();
    long eventSequence = 0;
    while (!sink.isClosed()) {
      List<ExecutionEvent> events = store.eventsSince(executionId, eventSequence, BATCH);
      eventSequence = send(events, eventSequence, sink);
      List<Execution> changes = store.changesSince(executionId, sequence, BATCH);
      for (Execution change : changes) {
        if (sink.isClosed()) {
          return;
        }
        if (change.phase().isTerminal()) {
          // Events stored before the terminal change may have come after the read above.
          eventSequence = sendEvents(executionId, eventSequence, sink);
        }
        sink.send(change);
        sequence = change.sequence();
        if (change.phase().isTerminal()) {
          return;
        }
      }
      if (changes.size() < BATCH && events.size() < BATCH) {
        signal.awaitAfter(seen, pollInterval);
        seen = signal.generation();
      }
    }
  }

  /** Sends all stored events after {@code afterSequence}; returns the last one sent. */
  private long sendEvents(String executionId, long afterSequence, Sink sink) {
    long last = afterSequence;
    while (!sink.isClosed()) {
      List<ExecutionEvent> events = store.eventsSince(executionId, last, BATCH);
      last = send(events, last, sink);
      if (events.size() < BATCH) {
        break;
      }
    }
    return last;
  }

  private static long send(List<ExecutionEvent> events, long last, Sink sink) {
    for (ExecutionEvent event : events) {
      if (sink.isClosed()) {
        break;
      }
      sink.send(event);
      last = event.sequence();
    }
    return last;
  }
}
