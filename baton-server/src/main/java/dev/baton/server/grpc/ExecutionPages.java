package dev.baton.server.grpc;

import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionPage;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.InvalidRequestException;
import java.util.Set;
import java.util.stream.Collectors;

/** List requests: page size bounds and page tokens (the last id of the previous page). */
final class ExecutionPages {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

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
    page.executions().forEach(e -> response.addExecutions(ExecutionProtoMapper.toProto(e)));
    if (page.nextAfterId() != null) {
      response.setNextPageToken(page.nextAfterId());
    }
    return response.build();
  }
}
