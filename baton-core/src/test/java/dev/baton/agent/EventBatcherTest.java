package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionEvent.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBatcherTest {
  private static final EventLimits LIMITS = new EventLimits(Duration.ofMillis(250), 3, 5, 10, 20);

  private final SteppingClock clock = new SteppingClock(Instant.parse("2025-03-04T05:06:07Z"));
  private final List<List<ExecutionEvent>> batches = new ArrayList<>();
  private final EventBatcher batcher =
      new EventBatcher("exec-1", (id, events) -> batches.add(List.copyOf(events)), LIMITS, clock);

  @Test
  void writesBufferedEventsInOrderOnlyOnceTheIntervalPassed() {
    batcher.add(Type.LOG_LINE, "one", null);
    batcher.add(Type.TOOL_CALL_STARTED, "grep", "{\"q\":1}");
    batcher.flushIfDue();
    assertThat(batches).isEmpty();

    clock.advance(Duration.ofMillis(250));
    batcher.flushIfDue();

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0))
        .extracting(ExecutionEvent::type, ExecutionEvent::text, ExecutionEvent::data)
        .containsExactly(
            tuple(Type.LOG_LINE, "one", null), tuple(Type.TOOL_CALL_STARTED, "grep", "{\"q\":1}"));
  }

  @Test
  void cutsLongTextsAndLeavesOutLongDetails() {
    batcher.add(Type.LOG_LINE, "0123456789abc", "{\"text\":\"far too long here\"}");
    batcher.flush(true);

    assertThat(batches.get(0).get(0).text()).isEqualTo("0123456789…");
    assertThat(batches.get(0).get(0).data()).isNull();
  }

  @Test
  void mergesConsecutiveMessageChunks() {
    batcher.add(Type.MESSAGE_CHUNK, "Hel", null);
    batcher.add(Type.MESSAGE_CHUNK, "lo ", null);
    batcher.add(Type.MESSAGE_CHUNK, "world", null);
    batcher.add(Type.LOG_LINE, "log", null);
    batcher.add(Type.MESSAGE_CHUNK, "!", null);
    batcher.flush(true);

    assertThat(batches.get(0))
        .extracting(ExecutionEvent::text)
        .containsExactly("Hello world", "log", "!");
    assertThat(batcher.latest()).isEqualTo("!");
  }

  @Test
  void dropsEventsBeyondTheRateCapAndReportsHowMany() {
    for (int i = 1; i <= 10; i++) {
      batcher.add(Type.LOG_LINE, "line " + i, null);
    }
    clock.advance(Duration.ofMillis(250));
    batcher.flushIfDue();
    batcher.add(Type.LOG_LINE, "after", null);
    batcher.flush(true);

    assertThat(batches.get(0))
        .extracting(ExecutionEvent::text)
        .containsExactly("line 1", "line 2", "line 3", "7 events dropped: more than 3 per 250 ms");
    assertThat(batches.get(0).get(3).type()).isEqualTo(Type.EVENTS_DROPPED);
    assertThat(batches.get(1)).extracting(ExecutionEvent::text).containsExactly("after");
  }

  @Test
  void dropsEventsBeyondTheTotalCapAndReportsThemOnceAtTheEnd() {
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < 3; i++) {
        batcher.add(Type.LOG_LINE, "r" + round + " l" + i, null);
      }
      clock.advance(Duration.ofMillis(250));
      batcher.flushIfDue();
    }
    batcher.flush(true);

    List<ExecutionEvent> all = batches.stream().flatMap(List::stream).toList();
    assertThat(all.stream().filter(e -> e.type() == Type.LOG_LINE)).hasSize(5);
    assertThat(all.stream().filter(e -> e.type() == Type.EVENTS_DROPPED))
        .extracting(ExecutionEvent::text)
        .containsExactly("7 events dropped: more than 5 in this run");
  }

  @Test
  void aFailingRecorderLosesTheBatchButNotTheRun() {
    EventBatcher failing =
        new EventBatcher(
            "exec-1",
            (id, events) -> {
              throw new IllegalStateException("database down");
            },
            LIMITS,
            clock);
    failing.add(Type.LOG_LINE, "lost", null);

    failing.flush(true);

    assertThat(failing.latest()).isEqualTo("lost");
  }

  @Test
  void theLatestShortTextNamesToolCalls() {
    batcher.add(Type.TOOL_CALL_STARTED, "search", null);

    assertThat(batcher.latest()).isEqualTo("tool search started");
  }

  /** A clock that moves only when told. */
  private static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
