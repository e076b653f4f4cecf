package dev.baton.agent.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.OnCallerGone;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EchoRunnerTest {
  private final EchoRunner runner = new EchoRunner();

  @Test
  void answersWithTheMessageAtOnceWithoutADelay() {
    var output =
        runner.run(
            agent(null), invocation("hello"), TestRunContext.withTimeout(Duration.ofMinutes(1)));

    assertThat(output.output()).isEqualTo("hello");
    assertThat(output.structuredOutput()).isNull();
  }

  @Test
  void waitsItsDelayAndHeartbeatsMeanwhile() {
    TestRunContext context = TestRunContext.withTimeout(Duration.ofMinutes(1));
    long start = System.nanoTime();

    var output = runner.run(agent("1200ms"), invocation("later"), context);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    assertThat(output.output()).isEqualTo("later");
    assertThat(context.heartbeats()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void asksToWaitExactlyWhatIsLeftSoItAnswersOnTime() {
    // Every pause wakes 0.2 ms late, as sleeps do; the runner must not round what is left to
    // whole milliseconds (which answered up to 1 ms late, in one more pause).
    Instant start = Instant.parse("2026-11-28T12:00:00.000300Z");
    AtomicReference<Instant> now = new AtomicReference<>(start);
    List<Duration> pauses = new ArrayList<>();
    EchoRunner timed =
        new EchoRunner(
            new TickingClock(now),
            pause -> {
              pauses.add(pause);
              now.set(now.get().plus(pause).plus(LATE));
            });
    TestRunContext context = TestRunContext.withTimeout(Duration.ofDays(1));

    var output = timed.run(agent("1s"), invocation("on time"), context);

    assertThat(output.output()).isEqualTo("on time");
    assertThat(pauses).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500).minus(LATE));
    assertThat(Duration.between(start, now.get())).isEqualTo(Duration.ofSeconds(1).plus(LATE));
  }

  @Test
  void parkWaitsAtLeastItsDurationAndStopsWhenInterrupted() throws Exception {
    long start = System.nanoTime();
    EchoRunner.park(Duration.ofMillis(20).plusNanos(300_000));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_300_000L);

    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> EchoRunner.park(Duration.ofHours(1)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void stopsWhenCancelled() {
    AtomicBoolean cancelled = new AtomicBoolean();
    TestRunContext context =
        TestRunContext.withTimeout(Duration.ofMinutes(1)).cancelWhen(cancelled::get);
    new Thread(
            () -> {
              sleep(300);
              cancelled.set(true);
            })
        .start();
    long start = System.nanoTime();

    assertThatThrownBy(() -> runner.run(agent("1h"), invocation("never"), context))
        .isInstanceOf(AgentCancelledException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void failsAsATimeoutWhenTheDelayOutlastsTheDeadline() {
    assertThatThrownBy(
            () ->
                runner.run(
                    agent("1h"),
                    invocation("late"),
                    TestRunContext.withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_TIMEOUT);
              assertThat(e.getMessage()).contains("deadline", "1h");
            });
  }

  @Test
  void rejectsABadDelayAndUnknownSettings() {
    assertThatThrownBy(() -> runner.validate(agent("soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings.delay must be a duration")
        .hasMessageContaining("soon");
    ObjectNode settings = JsonNodeFactory.instance.objectNode().put("command", "cat");
    assertThatThrownBy(() -> runner.validate(agentWith(settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings.command is not a setting of the echo runner");
  }

  private static AgentDefinition agent(String delay) {
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    if (delay != null) {
      settings.put(EchoRunner.DELAY, delay);
    }
    return agentWith(settings);
  }

  private static AgentDefinition agentWith(ObjectNode settings) {
    return new AgentDefinition(
        "echo", "", EchoRunner.TYPE, settings, Duration.ofMinutes(5), OnCallerGone.CANCEL);
  }

  private static AgentInvocation invocation(String message) {
    return new AgentInvocation("exec-1", "echo", message, Duration.ofMinutes(5), null, null);
  }

  private static final Duration LATE = Duration.ofNanos(200_000);

  /** A clock that reads a time the test moves. */
  private static final class TickingClock extends Clock {
    private final AtomicReference<Instant> now;

    TickingClock(AtomicReference<Instant> now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
