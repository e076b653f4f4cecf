package dev.baton.execution;

/**
 * What Temporal knows of one execution.
 *
 * @param workflow {@code agent-execution/<id>}, which runs the agent and delivers its outcome
 * @param callbackWorkflow {@code agent-callback/<id>/<fingerprint>}, which delivers an ended
 *     execution's outcome to the current token; {@code null} without a token
 * @param callerWorkflow the caller's workflow, with only the caller's activity among its pending
 *     activities; {@code null} without a caller
 */
public record ExecutionWorkflows(
    WorkflowDescription workflow,
    WorkflowDescription callbackWorkflow,
    WorkflowDescription callerWorkflow) {}
