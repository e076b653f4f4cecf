package dev.baton.server.temporal;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;

/**
 * Drops the sticky-execution request from completed workflow tasks, so the test server schedules
 * every workflow task on the workflow's own task queue.
 *
 * <p>A real Temporal server moves a task from a worker's sticky queue to the normal queue when the
 * worker does not pick it up within its sticky schedule-to-start timeout (5 s). Temporal's Java
 * test server never does: once a worker process dies (or restarts), every workflow it had cached
 * waits on a sticky queue nobody polls, forever. Without stickiness a worker replays the history on
 * each task, which is cheap at the embedded server's scale, and a restarted worker picks the work
 * up.
 */
final class NonStickyWorkflowTasks implements ServerInterceptor {
  private static final String RESPOND_WORKFLOW_TASK_COMPLETED =
      WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod().getFullMethodName();

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    ServerCall.Listener<ReqT> listener = next.startCall(call, headers);
    if (!RESPOND_WORKFLOW_TASK_COMPLETED.equals(call.getMethodDescriptor().getFullMethodName())) {
      return listener;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(ReqT message) {
        super.onMessage(withoutStickiness(message));
      }
    };
  }

  @SuppressWarnings("unchecked") // the request type of RespondWorkflowTaskCompleted
  private static <ReqT> ReqT withoutStickiness(ReqT message) {
    if (message instanceof RespondWorkflowTaskCompletedRequest request
        && request.hasStickyAttributes()) {
      return (ReqT) request.toBuilder().clearStickyAttributes().build();
    }
    return message;
  }
}
