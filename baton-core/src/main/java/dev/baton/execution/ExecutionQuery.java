package dev.baton.execution;

import java.util.Map;
import java.util.Set;

/**
 * A page request for {@link ExecutionStore#list}.
 *
 * @param phases only these phases; all when empty
 * @param agent only this agent; all when {@code null}
 * @param labels only executions carrying every one of these labels (key and value); all when empty
 * @param afterId the last id of the previous page (ids sort by creation time), or {@code null}
 */
public record ExecutionQuery(
    Set<ExecutionPhase> phases,
    String agent,
    Map<String, String> labels,
    int pageSize,
    String afterId) {
  public ExecutionQuery {
    phases = Set.copyOf(phases);
    labels = Map.copyOf(labels);
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1, got " + pageSize);
    }
  }

  /** A query without a label filter. */
  public ExecutionQuery(Set<ExecutionPhase> phases, String agent, int pageSize, String afterId) {
    this(phases, agent, Map.of(), pageSize, afterId);
  }
}
