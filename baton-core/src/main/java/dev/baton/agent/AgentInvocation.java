package dev.baton.agent;

import java.time.Duration;

/**
 * One run of an agent: the input of the agent-runner activity.
 *
 * @param timeout the deadline of this run, measured from its start
 */
public record AgentInvocation(String executionId, String agent, String message, Duration timeout) {}
