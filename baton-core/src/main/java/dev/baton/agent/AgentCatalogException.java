package dev.baton.agent;

import java.util.List;

/** Agent definitions could not be loaded; the message lists every problem, one a line. */
public final class AgentCatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  public AgentCatalogException(List<String> problems) {
    super(String.join(System.lineSeparator(), problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming the file, the agent and the field. */
  public List<String> problems() {
    return problems;
  }
}
