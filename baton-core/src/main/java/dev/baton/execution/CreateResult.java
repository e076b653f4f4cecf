package dev.baton.execution;

/**
 * What {@link ExecutionStore#create} did.
 *
 * @param created false when an execution with the same idempotency key already existed
 */
public record CreateResult(Execution execution, boolean created) {}
