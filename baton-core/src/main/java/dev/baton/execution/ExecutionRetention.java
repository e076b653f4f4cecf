package dev.baton.execution;

import dev.baton.agent.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store from growing without end: deletes the executions that ended, whose callback is
 * settled and that nothing changed for the retention period, in batches, on every server (the
 * deletes are idempotent). What a caller, an agent or a delivery may still need is never deleted: a
 * pending callback, a running or queued execution.
 */
public final class ExecutionRetention {
  private static final Logger log = LoggerFactory.getLogger(ExecutionRetention.class);

  /** Executions deleted per transaction, so other writes interleave with a large backlog. */
  static final int BATCH = 200;

  /**
   * How far server and database clocks may disagree: the search for old executions by their id's
   * time reaches this much further than the retention.
   */
  private static final Duration CLOCK_SKEW = Duration.ofHours(1);

  /** The longest wait between two passes. */
  private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

  private final ExecutionStore store;
  private final Duration retention;
  private final Clock clock;
  private final IntConsumer deleted;

  /**
   * @param retention how long an ended, settled execution is kept after its last change; positive
   * @param deleted told how many executions each pass deleted (metrics)
   */
  public ExecutionRetention(
      ExecutionStore store, Duration retention, Clock clock, IntConsumer deleted) {
    if (retention.isZero() || retention.isNegative()) {
      throw new IllegalArgumentException("retention must be positive, got " + retention);
    }
    this.store = store;
    this.retention = retention;
    this.clock = clock;
    this.deleted = deleted;
  }

  /** How often to pass: every 10 minutes, or as often as the retention is long if shorter. */
  public Duration interval() {
    return retention.compareTo(MAX_INTERVAL) < 0 ? retention : MAX_INTERVAL;
  }

  /** Deletes every execution past its retention now; returns how many. */
  public int deleteOnce() {
    Instant createdBefore = clock.instant().minus(retention).plus(CLOCK_SKEW);
    int total = 0;
    List<String> batch;
    do {
      batch = store.deleteSettled(retention, createdBefore, BATCH);
      total += batch.size();
    } while (batch.size() == BATCH);
    if (total > 0) {
      log.info(
          "deleted {} execution(s) that ended, were settled and unchanged for {} (--retention)",
          total,
          Durations.format(retention));
      deleted.accept(total);
    }
    return total;
  }
}
