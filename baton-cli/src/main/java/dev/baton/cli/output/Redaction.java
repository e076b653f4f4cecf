package dev.baton.cli.output;

import dev.baton.api.v1.AgentExecution;

/**
 * Keeps callback tokens out of everything the CLI prints. The server never returns them; this is
 * the second line of defence, applied to every execution before it is printed.
 */
final class Redaction {

  private Redaction() {}

  static AgentExecution redact(AgentExecution execution) {
    if (execution.getSpec().getCallbackToken().isEmpty()) {
      return execution;
    }
    AgentExecution.Builder redacted = execution.toBuilder();
    redacted.getSpecBuilder().clearCallbackToken();
    return redacted.build();
  }
}
