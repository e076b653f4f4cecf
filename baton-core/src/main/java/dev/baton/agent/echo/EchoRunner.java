package dev.baton.agent.echo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.Durations;
import dev.baton.agent.RunContext;
import dev.baton.execution.ExecutionError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Answers with the message it was given, after an optional {@code delay} (runner type {@code
 * echo}). No process, no model: it costs nothing but the handshake, which makes it the agent for
 * checking that callers, Baton and Temporal are wired together, and for benchmarks that must
 * measure the handshake rather than the agent.
 *
 * <p>While it waits it heartbeats every {@link #HEARTBEAT_EVERY}, so cancellation stops it within
 * that time, and it fails with {@link ExecutionError#AGENT_TIMEOUT} when the delay outlasts the
 * execution's deadline.
 */
public final class EchoRunner implements AgentRunner {
  /** The runner type agent definitions name. */
  public static final String TYPE = "echo";

  /** The setting holding how long to wait before answering, e.g. {@code 10s}. */
  public static final String DELAY = "delay";

  static final Duration HEARTBEAT_EVERY = Duration.ofMillis(500);

  private final Clock clock;
  private final Pause pause;

  public EchoRunner() {
    this(Clock.systemUTC(), EchoRunner::park);
  }

  EchoRunner(Clock clock, Pause pause) {
    this.clock = clock;
    this.pause = pause;
  }

  /** Waits a while; {@link #park} outside tests. */
  @FunctionalInterface
  interface Pause {
    void pause(Duration duration) throws InterruptedException;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void validate(AgentDefinition agent) {
    AgentSettings.requireOnly(agent, TYPE, DELAY);
    delay(agent);
  }

  @Override
  public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
    Instant answerAt = clock.instant().plus(delay(agent));
    context.heartbeat(null);
    while (true) {
      Instant now = clock.instant();
      if (!now.isBefore(answerAt)) {
        return AgentOutput.text(invocation.message());
      }
      if (!now.isBefore(context.deadline())) {
        throw new AgentFailedException(
            ExecutionError.AGENT_TIMEOUT,
            "agent '"
                + agent.name()
                + "' (echo) did not answer before its deadline: its delay "
                + Durations.format(delay(agent))
                + " is longer than the execution's timeout");
      }
      try {
        pause.pause(
            min(Duration.between(now, answerAt), Duration.between(now, context.deadline())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AgentFailedException(ExecutionError.AGENT_FAILED, "echo runner interrupted");
      }
      context.heartbeat(null);
    }
  }

  /** The {@code delay} setting; zero when absent. */
  static Duration delay(AgentDefinition agent) {
    JsonNode node = agent.settings().get(DELAY);
    if (node == null || node.isNull()) {
      return Duration.ZERO;
    }
    Optional<Duration> delay = node.isTextual() ? Durations.parse(node.asText()) : Optional.empty();
    return delay
        .filter(d -> !d.isNegative())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "settings.delay must be a duration such as 500ms, 10s or 2m, found " + node));
  }

  private static Duration min(Duration a, Duration b) {
    Duration shorter = a.compareTo(b) <= 0 ? a : b;
    return shorter.compareTo(HEARTBEAT_EVERY) <= 0 ? shorter : HEARTBEAT_EVERY;
  }

  /**
   * Waits {@code duration} to the microsecond: {@code Thread.sleep} takes whole milliseconds (on
   * Java 17 it rounds a fraction up), which would answer up to a millisecond late, and a benchmark
   * of the handshake would count that lateness as the handshake's.
   */
  static void park(Duration duration) throws InterruptedException {
    long until = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
