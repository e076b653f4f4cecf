package dev.baton.execution;

import java.util.Set;

/**
 * A page request for {@link ExecutionStore#list}.
 *
 * @param phases only these phases; all when empty
 * @param agent only this agent; all when {@code null}
 * @param afterId the last id of the previous page (ids sort by creation time), or {@code null}
 */
public record ExecutionQuery(
    Set<ExecutionPhase> phases, String agent, int pageSize, String afterId) {
  public ExecutionQuery {
    phases = Set.copyOf(phases);
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be at least 1, got " + pageSize);
    }
  }
}
