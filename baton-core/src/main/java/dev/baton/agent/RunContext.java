package dev.baton.agent;

import dev.baton.execution.ExecutionEvent;
import java.time.Instant;

/** What a runner can see and tell of the execution it serves. */
public interface RunContext {

  /** When the run must have ended; past it the runner stops the agent and fails. */
  Instant deadline();

  /**
   * Reports that the agent is alive, with its latest progress (may be {@code null}).
   *
   * @throws AgentCancelledException when the execution was cancelled or its caller went away
   */
  void heartbeat(String progress);

  /**
   * Reports a progress event (a log line, a chunk of the answer, a tool call) to show while the
   * agent runs. Safe to call from any thread; it never throws for cancellation (that is {@link
   * #heartbeat}'s job). The context stores events in batches and may shorten, merge or drop them to
   * keep a chatty agent from flooding the store; a drop is itself reported as an event.
   *
   * @param data optional JSON with details, or {@code null}
   */
  default void event(ExecutionEvent.Type type, String text, String data) {}

  /** {@link #event(ExecutionEvent.Type, String, String)} without details. */
  default void event(ExecutionEvent.Type type, String text) {
    event(type, text, null);
  }
}
