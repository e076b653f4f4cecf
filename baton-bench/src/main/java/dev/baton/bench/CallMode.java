package dev.baton.bench;

/** How a benchmark call reaches its agent: through Baton, or one of the baselines. */
public enum CallMode {
  /** Baton's handshake: the caller activity hands its task token over and returns. */
  BATON("Baton handshake"),
  /** Baseline (a): raw Temporal async completion, a local thread completes the token. */
  RAW_ASYNC("(a) raw async completion"),
  /** Baseline (b): the agent's work run as a plain synchronous activity. */
  SYNC("(b) synchronous activity"),
  /** Baseline (c): the activity creates the execution without a token and polls Get every 1 s. */
  POLLING("(c) polling Get every 1 s"),
  /** Baseline (d): the activity creates the execution and holds its slot, watching to the end. */
  BLOCKING("(d) blocking (Watch to end)");

  private final String label;

  CallMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
