package dev.baton.execution;

/**
 * The store's answer to {@link ExecutionStore#claimSlot}.
 *
 * @param execution the execution after the claim: IN_PROGRESS when admitted
 * @param admitted whether the execution holds a slot now (it was admitted, or already was)
 * @param ahead when not admitted, how many executions of the agent run or wait before it
 */
public record SlotClaim(Execution execution, boolean admitted, long ahead) {}
