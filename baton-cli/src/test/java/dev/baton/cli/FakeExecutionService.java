package dev.baton.cli;

import com.google.protobuf.Message;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc.AgentExecutionServiceImplBase;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionMetadata;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionStatus;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An AgentExecutionService that serves what a test gives it and records every request. Ids not
 * given are answered NOT_FOUND, like the real server.
 */
public final class FakeExecutionService extends AgentExecutionServiceImplBase {

  /** The id of executions made by {@link #create}. */
  public static final String CREATED_ID = "exec-new";

  /** An id whose Get never gets an answer, to run into the client's deadline. */
  public static final String SILENT_ID = "silent";

  private final List<Message> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AgentExecution> executions = new ConcurrentHashMap<>();
  private final Map<String, ListExecutionsResponse> pages = new ConcurrentHashMap<>();
  private final Map<String, List<AgentExecution>> updates = new ConcurrentHashMap<>();
  private final Set<String> heldOpen = ConcurrentHashMap.newKeySet();
  private volatile StatusRuntimeException failure;

  /** Get and Cancel will return {@code execution}. */
  public void put(AgentExecution execution) {
    executions.put(execution.getMetadata().getId(), execution);
  }

  /** List will answer {@code page} to a request carrying {@code pageToken} ("" for the first). */
  public void page(String pageToken, ListExecutionsResponse page) {
    pages.put(pageToken, page);
  }

  /** Watch of {@code id} will stream these executions, then end. */
  public void updates(String id, AgentExecution... stream) {
    updates.put(id, List.of(stream));
  }

  /**
   * Watch of {@code id} will stream these executions and then stay open, as a server does while the
   * execution runs.
   */
  public void updatesThenHoldOpen(String id, AgentExecution... stream) {
    updates(id, stream);
    heldOpen.add(id);
  }

  /** Every call will fail with {@code status}. */
  public void failWith(Status status) {
    failure = status.asRuntimeException();
  }

  /** The requests received so far, in order. */
  public List<Message> requests() {
    return List.copyOf(requests);
  }

  /** The only request of type {@code type} received. */
  public <T extends Message> T only(Class<T> type) {
    List<T> matching = requests.stream().filter(type::isInstance).map(type::cast).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " but got " + matching);
    }
    return matching.get(0);
  }

  @Override
  public void create(CreateExecutionRequest request, StreamObserver<AgentExecution> response) {
    unary(
        request,
        response,
        () ->
            AgentExecution.newBuilder()
                .setMetadata(
                    ExecutionMetadata.newBuilder()
                        .setId(CREATED_ID)
                        .setSequence(1)
                        .setCreateTime(Fixtures.T0)
                        .putAllLabels(request.getLabelsMap()))
                .setSpec(request.getSpec())
                .setStatus(ExecutionStatus.newBuilder().setPhase(ExecutionPhase.PENDING))
                .build());
  }

  @Override
  public void get(GetExecutionRequest request, StreamObserver<AgentExecution> response) {
    if (request.getId().equals(SILENT_ID)) {
      requests.add(request);
      return;
    }
    unary(request, response, () -> stored(request.getId()));
  }

  @Override
  public void list(ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> response) {
    unary(
        request,
        response,
        () -> {
          ListExecutionsResponse page = pages.get(request.getPageToken());
          if (page == null) {
            throw Status.INVALID_ARGUMENT
                .withDescription("unknown page token " + request.getPageToken())
                .asRuntimeException();
          }
          return page;
        });
  }

  @Override
  public void cancel(CancelExecutionRequest request, StreamObserver<AgentExecution> response) {
    unary(request, response, () -> stored(request.getId()));
  }

  @Override
  public void watch(
      WatchExecutionRequest request, StreamObserver<WatchExecutionResponse> response) {
    requests.add(request);
    List<AgentExecution> stream = updates.get(request.getId());
    if (failure != null || stream == null) {
      response.onError(failure != null ? failure : notFound(request.getId()));
      return;
    }
    stream.forEach(
        execution ->
            response.onNext(WatchExecutionResponse.newBuilder().setExecution(execution).build()));
    if (!heldOpen.contains(request.getId())) {
      response.onCompleted();
    }
  }

  private <T> void unary(Message request, StreamObserver<T> response, Supplier<T> answer) {
    requests.add(request);
    try {
      if (failure != null) {
        throw failure;
      }
      response.onNext(answer.get());
      response.onCompleted();
    } catch (StatusRuntimeException e) {
      response.onError(e);
    }
  }

  private AgentExecution stored(String id) {
    AgentExecution execution = executions.get(id);
    if (execution == null) {
      throw notFound(id);
    }
    return execution;
  }

  private static StatusRuntimeException notFound(String id) {
    return Status.NOT_FOUND.withDescription("execution " + id + " not found").asRuntimeException();
  }
}
