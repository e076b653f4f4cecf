package dev.baton.agent;

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
}
