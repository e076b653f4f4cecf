package dev.baton.agent;

import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionEvent.Type;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers one run's progress events and writes them in batches, within {@link EventLimits}: texts
 * are cut, consecutive message chunks merged, and events beyond the rate or total cap dropped and
 * reported as one {@link Type#EVENTS_DROPPED} event with their count. Thread-safe; batches are
 * written one at a time, in order. A failed write is logged and its events lost: progress must
 * never fail the run.
 */
final class EventBatcher {
  private static final Logger log = LoggerFactory.getLogger(EventBatcher.class);
  private static final int CHUNK_MERGE_FACTOR = 4;
  private static final int SHORT_TEXT = 200;

  private final String executionId;
  private final EventRecorder recorder;
  private final EventLimits limits;
  private final Clock clock;
  private final Object flushLock = new Object();
  private List<ExecutionEvent> pending = new ArrayList<>();
  private Instant windowStart;
  private Instant lastFlush;
  private int inWindow;
  private int kept;
  private long dropped;
  private boolean capReported;
  private volatile String latest;

  EventBatcher(String executionId, EventRecorder recorder, EventLimits limits, Clock clock) {
    this.executionId = executionId;
    this.recorder = recorder;
    this.limits = limits;
    this.clock = clock;
    this.windowStart = clock.instant();
    this.lastFlush = windowStart;
  }

  /** Buffers an event, or counts it as dropped when over a cap. */
  synchronized void add(Type type, String text, String data) {
    Instant now = clock.instant();
    String shown = cut(text == null ? "" : text, limits.maxTextChars());
    String details = data != null && data.length() <= limits.maxDataChars() ? data : null;
    latest = shortText(type, shown);
    if (type == Type.MESSAGE_CHUNK && mergeChunk(shown)) {
      latest = shortText(type, pending.get(pending.size() - 1).text());
      return;
    }
    if (!now.isBefore(windowStart.plus(limits.flushInterval()))) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= limits.maxPerInterval() || kept >= limits.maxPerRun()) {
      dropped++;
      return;
    }
    inWindow++;
    kept++;
    pending.add(ExecutionEvent.of(now, type, shown, details));
  }

  /** Whether a flush interval passed since the last write. */
  synchronized boolean due() {
    return !clock.instant().isBefore(lastFlush.plus(limits.flushInterval()));
  }

  /** Writes the buffered events if a flush interval passed. */
  void flushIfDue() {
    if (due()) {
      flush(false);
    }
  }

  /**
   * Writes the buffered events now. Drops are reported once per interval while the rate cap is the
   * reason, and once at the end of the run ({@code last}) after the total cap was reached.
   */
  void flush(boolean last) {
    synchronized (flushLock) {
      List<ExecutionEvent> batch;
      synchronized (this) {
        lastFlush = clock.instant();
        if (dropped > 0 && (kept < limits.maxPerRun() || last) && !capReported) {
          capReported = kept >= limits.maxPerRun();
          pending.add(
              ExecutionEvent.of(
                  lastFlush,
                  Type.EVENTS_DROPPED,
                  dropped + (dropped == 1 ? " event" : " events") + " dropped: " + why(),
                  null));
          dropped = 0;
        }
        if (pending.isEmpty()) {
          return;
        }
        batch = pending;
        pending = new ArrayList<>();
      }
      try {
        recorder.append(executionId, batch);
      } catch (RuntimeException e) {
        log.warn(
            "could not store {} progress events of execution {}: {}",
            batch.size(),
            executionId,
            e.toString());
      }
    }
  }

  /** The short text of the latest event, or {@code null} before the first. */
  String latest() {
    return latest;
  }

  private String why() {
    return kept >= limits.maxPerRun()
        ? "more than " + limits.maxPerRun() + " in this run"
        : "more than "
            + limits.maxPerInterval()
            + " per "
            + limits.flushInterval().toMillis()
            + " ms";
  }

  private boolean mergeChunk(String text) {
    if (pending.isEmpty()) {
      return false;
    }
    ExecutionEvent last = pending.get(pending.size() - 1);
    if (last.type() != Type.MESSAGE_CHUNK
        || last.text().length() + text.length() > limits.maxTextChars() * CHUNK_MERGE_FACTOR) {
      return false;
    }
    pending.set(
        pending.size() - 1,
        ExecutionEvent.of(last.time(), Type.MESSAGE_CHUNK, last.text() + text, null));
    return true;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  /** One line for a heartbeat's details. */
  static String shortText(Type type, String text) {
    String line = text.strip();
    int newline = line.lastIndexOf('\n');
    line = newline < 0 ? line : line.substring(newline + 1);
    line = cut(line, SHORT_TEXT);
    return switch (type) {
      case TOOL_CALL_STARTED -> "tool " + line + " started";
      case TOOL_CALL_ENDED -> "tool " + line;
      default -> line;
    };
  }
}
