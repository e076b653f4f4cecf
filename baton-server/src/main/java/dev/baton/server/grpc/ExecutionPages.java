package dev.baton.server.grpc;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionPage;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.InvalidRequestException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * List requests: page size bounds, page tokens (the last id of the previous page), and a byte
 * budget per page.
 */
final class ExecutionPages {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

  /**
   * The most a page's executions may take together, serialized; the page ends before the one that
   * would pass it (a page holds at least one). gRPC clients refuse answers over 4 MiB by default,
   * and three executions with a 1 MiB message and its echo as output are over that: without this a
   * plain {@code baton exec list} failed as RESOURCE_EXHAUSTED, for good.
   */
  static final int MAX_PAGE_BYTES = 3 * 1024 * 1024;

  private ExecutionPages() {}

  static ListExecutionsResponse list(ExecutionService executions, ListExecutionsRequest request) {
    int pageSize = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidRequestException(
          "page_size", "must be between 1 and " + MAX_PAGE_SIZE + ", got " + pageSize);
    }
    String token = request.getPageToken();
    if (!token.isEmpty() && !ExecutionIds.isWellFormed(token)) {
      throw new InvalidRequestException(
          "page_token", "is not a token from a previous response's next_page_token");
    }
    Set<ExecutionPhase> phases =
        request.getPhasesList().stream()
            .map(ExecutionProtoMapper::phase)
            .collect(Collectors.toSet());
    ExecutionPage page =
        executions.list(
            new ExecutionQuery(
                phases,
                request.getAgent().isEmpty() ? null : request.getAgent(),
                request.getLabelsMap(),
                pageSize,
                token.isEmpty() ? null : token));
    ListExecutionsResponse.Builder response = ListExecutionsResponse.newBuilder();
    long bytes = 0;
    for (Execution execution : page.executions()) {
      AgentExecution shown = ExecutionProtoMapper.toProto(execution);
      bytes += shown.getSerializedSize();
      if (bytes > MAX_PAGE_BYTES && response.getExecutionsCount() > 0) {
        // the next page starts after the last execution sent
        String last =
            response.getExecutions(response.getExecutionsCount() - 1).getMetadata().getId();
        return response.setNextPageToken(last).build();
      }
      response.addExecutions(shown);
    }
    if (page.nextAfterId() != null) {
      response.setNextPageToken(page.nextAfterId());
    }
    return response.build();
  }
}
