package dev.baton.bench;

/**
 * One benchmark call: a workflow makes exactly one activity call in {@code mode}.
 *
 * @param agent the Baton agent to run (for {@link CallMode#BATON}, polling and blocking)
 * @param delayMillis the agent's fixed delay (the work of the baselines that run no agent)
 */
public record BenchCall(CallMode mode, String agent, long delayMillis) {}
