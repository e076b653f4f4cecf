package dev.baton.cli.demo;

import dev.baton.callback.AgentResult;

/**
 * One agent call as the caller workflow saw it.
 *
 * @param callerMillis from scheduling the caller's activity to the workflow seeing its result
 */
public record DemoCallReport(AgentResult result, long callerMillis) {

  /** Time the handshake added on top of the agent's own run time. */
  public long overheadMillis() {
    return Math.max(0, callerMillis - result.durationMillis());
  }
}
