package dev.baton.execution;

import java.util.List;

/**
 * One page of executions.
 *
 * @param nextAfterId pass as {@link ExecutionQuery#afterId()} for the next page; {@code null} on
 *     the last page
 */
public record ExecutionPage(List<Execution> executions, String nextAfterId) {
  public ExecutionPage {
    executions = List.copyOf(executions);
  }
}
