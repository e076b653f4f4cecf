package dev.baton.execution;

import java.time.Instant;
import java.util.List;

/**
 * Counts the store reports for gauges and {@code baton status}.
 *
 * @param inProgress executions in phase IN_PROGRESS
 * @param pendingCallbackCreateTimes creation times of executions whose callback is PENDING
 */
public record ExecutionStats(long inProgress, List<Instant> pendingCallbackCreateTimes) {
  public ExecutionStats {
    pendingCallbackCreateTimes = List.copyOf(pendingCallbackCreateTimes);
  }
}
