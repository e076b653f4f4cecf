package dev.baton.bench;

/**
 * What a benchmark workflow measured.
 *
 * @param activityMillis from the workflow task that scheduled the activity to the one that saw its
 *     result (workflow time, so replay-safe): the caller activity's duration as the workflow sees
 *     it
 * @param agentMillis the agent's run time as the mode reports it (Baton's {@code
 *     AgentResult.durationMillis}, the measured process time, or the configured delay for the raw
 *     baseline); informative only, the handshake subtracts the configured delay
 */
public record BenchOutcome(long activityMillis, long agentMillis) {}
