package dev.baton.agent;

import dev.baton.execution.ExecutionEvent;
import java.util.List;

/** Where a run's progress events are stored (e.g. {@code ExecutionStore::appendEvents}). */
@FunctionalInterface
public interface EventRecorder {
  /** Stores nothing. */
  EventRecorder NONE = (executionId, events) -> {};

  void append(String executionId, List<ExecutionEvent> events);
}
