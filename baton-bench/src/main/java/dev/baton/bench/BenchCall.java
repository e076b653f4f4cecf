package dev.baton.bench;

/**
 * One benchmark call: a workflow makes exactly one activity call in {@code mode}.
 *
 * @param agent the Baton agent to run (for {@link CallMode#BATON}, polling and blocking)
 * @param script the same work as a shell script (for the synchronous baseline)
 * @param delayMillis the agent's fixed delay (for the raw async baseline)
 */
public record BenchCall(CallMode mode, String agent, String script, long delayMillis) {}
