package dev.baton.server.grpc;

import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionService;
import dev.baton.execution.ExecutionWatcher;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves Watch streams: validates the id on the calling thread, then follows the execution on a
 * watch thread until its terminal phase was sent or the client went away.
 */
final class ExecutionStreams {
  private final ExecutionService executions;
  private final ExecutionWatcher watcher;
  private final Executor executor;

  ExecutionStreams(ExecutionService executions, ExecutionWatcher watcher, Executor executor) {
    this.executions = executions;
    this.watcher = watcher;
    this.executor = executor;
  }

  void watch(String id, StreamObserver<WatchExecutionResponse> observer) {
    ServerCallStreamObserver<WatchExecutionResponse> call =
        (ServerCallStreamObserver<WatchExecutionResponse>) observer;
    try {
      executions.get(id);
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    try {
      executor.execute(() -> follow(id, call));
    } catch (RejectedExecutionException e) {
      observer.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription("too many open Watch streams on this server; retry later")
              .asRuntimeException());
    }
  }

  private void follow(String id, ServerCallStreamObserver<WatchExecutionResponse> call) {
    ExecutionWatcher.Sink sink =
        new ExecutionWatcher.Sink() {
          @Override
          public boolean isClosed() {
            return call.isCancelled();
          }

          @Override
          public void send(Execution execution) {
            call.onNext(
                WatchExecutionResponse.newBuilder()
                    .setExecution(ExecutionProtoMapper.toProto(execution))
                    .build());
          }

          @Override
          public void send(ExecutionEvent event) {
            call.onNext(
                WatchExecutionResponse.newBuilder()
                    .setEvent(EventProtoMapper.toProto(event))
                    .build());
          }
        };
    try {
      watcher.watch(id, sink);
      if (!call.isCancelled()) {
        call.onCompleted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.onError(Status.UNAVAILABLE.withDescription("server shutting down").asRuntimeException());
    } catch (RuntimeException e) {
      if (!call.isCancelled()) {
        call.onError(GrpcErrors.toStatus(e));
      }
    }
  }
}
