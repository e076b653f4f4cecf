package dev.baton.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Counts the store reports for gauges and {@code baton status}.
 *
 * @param inProgress executions in phase IN_PROGRESS
 * @param pendingCallbackCreateTimes creation times of executions whose callback is PENDING
 * @param lastHourOutcomes callbacks that reached DELIVERED, CALLER_GONE or FAILED in the last hour
 * @param pendingByAgent executions in phase PENDING (not started yet, or queued for a slot of their
 *     agent), by agent; agents with none are absent
 */
public record ExecutionStats(
    long inProgress,
    List<Instant> pendingCallbackCreateTimes,
    Map<CallbackState, Long> lastHourOutcomes,
    Map<String, Long> pendingByAgent) {
  public ExecutionStats {
    pendingCallbackCreateTimes = List.copyOf(pendingCallbackCreateTimes);
    lastHourOutcomes = Map.copyOf(lastHourOutcomes);
    pendingByAgent = Map.copyOf(pendingByAgent);
  }

  public ExecutionStats(
      long inProgress,
      List<Instant> pendingCallbackCreateTimes,
      Map<CallbackState, Long> lastHourOutcomes) {
    this(inProgress, pendingCallbackCreateTimes, lastHourOutcomes, Map.of());
  }
}
