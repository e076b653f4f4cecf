package dev.baton.server.grpc;

import dev.baton.api.v1.AgeCount;
import dev.baton.api.v1.ExecutionSummary;
import dev.baton.api.v1.SummarizeRequest;
import dev.baton.execution.CallbackState;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.ExecutionStats;
import dev.baton.execution.InvalidRequestException;
import dev.baton.metrics.BatonMetrics.AgeBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Builds the operator summary behind {@code baton status}. */
final class ExecutionSummaries {
  static final int DEFAULT_OLDEST = 10;
  static final int MAX_OLDEST = 100;

  private ExecutionSummaries() {}

  static ExecutionSummary summarize(
      ExecutionService executions, SummarizeRequest request, Clock clock) {
    int limit = request.getOldestLimit() == 0 ? DEFAULT_OLDEST : request.getOldestLimit();
    if (limit < 0 || limit > MAX_OLDEST) {
      throw new InvalidRequestException(
          "oldest_limit", "must be between 0 and " + MAX_OLDEST + ", got " + limit);
    }
    ExecutionStats stats = executions.stats();
    Instant now = clock.instant();
    Map<AgeBucket, Long> byAge = new EnumMap<>(AgeBucket.class);
    for (AgeBucket bucket : AgeBucket.values()) {
      byAge.put(bucket, 0L);
    }
    for (Instant created : stats.pendingCallbackCreateTimes()) {
      byAge.merge(AgeBucket.of(Duration.between(created, now)), 1L, Long::sum);
    }
    ExecutionSummary.Builder summary =
        ExecutionSummary.newBuilder()
            .setInProgress(stats.inProgress())
            .setDeliveredLastHour(
                stats.lastHourOutcomes().getOrDefault(CallbackState.DELIVERED, 0L))
            .setCallerGoneLastHour(
                stats.lastHourOutcomes().getOrDefault(CallbackState.CALLER_GONE, 0L))
            .setFailedLastHour(stats.lastHourOutcomes().getOrDefault(CallbackState.FAILED, 0L));
    byAge.forEach(
        (bucket, count) ->
            summary.addPendingCallbacks(
                AgeCount.newBuilder().setAgeBucket(bucket.label()).setCount(count)));
    executions
        .oldestPendingCallbacks(limit)
        .forEach(e -> summary.addOldestPending(ExecutionProtoMapper.toProto(e)));
    return summary.build();
  }
}
