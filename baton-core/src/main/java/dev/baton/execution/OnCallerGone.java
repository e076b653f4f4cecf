package dev.baton.execution;

/** What happens to a running agent once its caller is known to be gone. */
public enum OnCallerGone {
  /** Stop the agent: nobody will read its answer. */
  CANCEL,
  /** Let the agent finish; its result stays readable through the API. */
  CONTINUE
}
