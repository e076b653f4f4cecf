package dev.baton.execution;

import java.util.List;

/** A request named an agent this server does not define. */
public final class AgentNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AgentNotFoundException(String name, List<String> known) {
    super(
        "no agent named '"
            + name
            + "'; known agents: "
            + (known.isEmpty() ? "(none loaded)" : String.join(", ", known)));
  }
}
