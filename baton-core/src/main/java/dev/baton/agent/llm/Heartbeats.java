package dev.baton.agent.llm;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.Durations;
import dev.baton.agent.RunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Keeps one run alive while it waits: heartbeats, and stops it at its deadline. */
final class Heartbeats {
  private final AgentDefinition agent;
  private final AgentInvocation invocation;
  private final RunContext context;
  private final LlmRunnerOptions options;

  Heartbeats(
      AgentDefinition agent,
      AgentInvocation invocation,
      RunContext context,
      LlmRunnerOptions options) {
    this.agent = agent;
    this.invocation = invocation;
    this.context = context;
    this.options = options;
  }

  /**
   * Heartbeats with this progress, then checks the deadline.
   *
   * @throws dev.baton.agent.AgentCancelledException when the execution was cancelled
   * @throws AgentFailedException of type {@code AgentTimeout} past the deadline
   */
  void beat(String progress) {
    context.heartbeat(progress);
    if (remaining().isZero()) {
      Duration timeout = invocation.timeout() != null ? invocation.timeout() : agent.timeout();
      throw new AgentFailedException(
          ExecutionError.AGENT_TIMEOUT,
          "agent '"
              + agent.name()
              + "' ran past its "
              + Durations.format(timeout)
              + " deadline and was stopped");
    }
  }

  /** Reports a progress event of the run (see {@link RunContext#event}). */
  void event(ExecutionEvent.Type type, String text, String data) {
    context.event(type, text, data);
  }

  /** The time left before the deadline; zero once it passed. */
  Duration remaining() {
    Duration left = Duration.between(options.clock().instant(), context.deadline());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Waits for a result, beating every poll interval with the latest progress and running {@code
   * check} (which may throw to give up).
   *
   * @throws ExecutionException with what the task failed with
   */
  <T> T await(Future<T> future, Supplier<String> progress, Runnable check)
      throws ExecutionException {
    while (true) {
      try {
        return future.get(options.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        beat(progress.get());
        check.run();
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
    }
  }

  /** Waits this long (e.g. before a retry), beating all along. */
  void pause(Duration wait, String progress) {
    long end = System.nanoTime() + wait.toNanos();
    beat(progress);
    for (long left = wait.toNanos(); left > 0; left = end - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, options.pollInterval().toNanos()));
      } catch (InterruptedException e) {
        throw interrupted(e);
      }
      beat(progress);
    }
  }

  long pollMillis() {
    return options.pollInterval().toMillis();
  }

  /** The cancellation a run ends with when its thread is interrupted (whose flag is kept). */
  AgentCancelledException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new AgentCancelledException(
        "agent '" + agent.name() + "' was stopped: the worker thread was interrupted", e);
  }
}
