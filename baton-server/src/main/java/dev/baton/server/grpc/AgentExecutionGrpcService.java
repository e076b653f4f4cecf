package dev.baton.server.grpc;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CompleteCallerRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.DescribeExecutionRequest;
import dev.baton.api.v1.ExecutionDescription;
import dev.baton.api.v1.ExecutionSummary;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.api.v1.SummarizeRequest;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.callback.CallerCompletion;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.WorkflowInspector;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyInterceptor;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.Executor;

/** The baton.v1 AgentExecutionService: maps and delegates, one line of logic per RPC. */
public final class AgentExecutionGrpcService
    extends AgentExecutionServiceGrpc.AgentExecutionServiceImplBase {
  private final ExecutionService executions;
  private final ExecutionStreams streams;
  private final WorkflowInspector inspector;
  private final CallerCompletion completion;

  public AgentExecutionGrpcService(
      ExecutionService executions,
      dev.baton.execution.ExecutionWatcher watcher,
      Executor watchExecutor,
      WorkflowInspector inspector,
      CallerCompletion completion) {
    this.executions = executions;
    this.streams = new ExecutionStreams(executions, watcher, watchExecutor);
    this.inspector = inspector;
    this.completion = completion;
  }

  @Override
  public void create(CreateExecutionRequest request, StreamObserver<AgentExecution> observer) {
    GrpcErrors.unary(
        observer,
        () ->
            ExecutionProtoMapper.toProto(
                executions.create(ExecutionProtoMapper.toDomain(request))));
  }

  @Override
  public void get(GetExecutionRequest request, StreamObserver<AgentExecution> observer) {
    GrpcErrors.unary(observer, () -> ExecutionProtoMapper.toProto(executions.get(request.getId())));
  }

  @Override
  public void list(ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> observer) {
    GrpcErrors.unary(observer, () -> ExecutionPages.list(executions, request));
  }

  @Override
  public void cancel(CancelExecutionRequest request, StreamObserver<AgentExecution> observer) {
    GrpcErrors.unary(
        observer,
        () ->
            ExecutionProtoMapper.toProto(executions.cancel(request.getId(), request.getReason())));
  }

  @Override
  public void summarize(SummarizeRequest request, StreamObserver<ExecutionSummary> observer) {
    GrpcErrors.unary(
        observer, () -> ExecutionSummaries.summarize(executions, request, Clock.systemUTC()));
  }

  @Override
  public void watch(
      WatchExecutionRequest request, StreamObserver<WatchExecutionResponse> observer) {
    streams.watch(request.getId(), observer);
  }

  @Override
  public void describe(
      DescribeExecutionRequest request, StreamObserver<ExecutionDescription> observer) {
    GrpcErrors.unary(
        observer,
        () -> {
          var execution = executions.get(request.getId());
          return OperatorProtoMapper.toProto(execution, inspector.describe(execution));
        });
  }

  @Override
  public void completeCaller(
      CompleteCallerRequest request, StreamObserver<AgentExecution> observer) {
    ApiKey key = ApiKeyInterceptor.CALLER_KEY.get();
    GrpcErrors.unary(
        observer,
        () ->
            ExecutionProtoMapper.toProto(
                completion.complete(
                    request.getId(),
                    OperatorProtoMapper.outcome(request),
                    request.getForce(),
                    key == null ? null : key.name())));
  }
}
