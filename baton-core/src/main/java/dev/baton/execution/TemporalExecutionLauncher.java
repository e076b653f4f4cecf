package dev.baton.execution;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Starts execution workflows on {@link TaskQueues#EXECUTIONS} and cancels them by signal. */
public final class TemporalExecutionLauncher implements ExecutionLauncher {
  /**
   * How long a start keeps retrying an unreachable Temporal (the SDK's own limit is a minute):
   * Create answers UNAVAILABLE within a client's usual deadline, and the caller retries.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /** Cancels the gRPC contexts of starts that ran out of time; idle otherwise. */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "baton-start-deadline");
            thread.setDaemon(true);
            return thread;
          });

  private final WorkflowClient client;

  public TemporalExecutionLauncher(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void start(String executionId) {
    ExecutionWorkflow workflow = newExecutionWorkflow(executionId);
    // The SDK stops retrying at the current gRPC context's deadline (the earlier of this one and
    // that of the API call being served).
    Context.CancellableContext bounded =
        Context.current()
            .withDeadline(
                Deadline.after(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), DEADLINES);
    try {
      bounded.run(() -> WorkflowClient.start(workflow::run, executionId));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Idempotent: the execution is already running (or ran).
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new ExecutionUnavailableException(
          "could not start the workflow of execution "
              + executionId
              + " (Temporal: "
              + describe(e)
              + ")",
          e);
    } finally {
      bounded.cancel(null);
    }
  }

  @Override
  public boolean cancel(String executionId, String reason) {
    try {
      client
          .newWorkflowStub(ExecutionWorkflow.class, ExecutionIds.workflowId(executionId))
          .cancel(reason);
      return true;
    } catch (WorkflowNotFoundException e) {
      return startCancelled(executionId, reason);
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new ExecutionUnavailableException(
          "could not reach the workflow of execution " + executionId + ": " + describe(e), e);
    }
  }

  /** Starts the workflow with the cancel signal in one request; false when it already closed. */
  private boolean startCancelled(String executionId, String reason) {
    ExecutionWorkflow workflow = newExecutionWorkflow(executionId);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::run, executionId);
    request.add(workflow::cancel, reason);
    try {
      client.signalWithStart(request);
      return true;
    } catch (WorkflowExecutionAlreadyStarted closed) {
      // A running workflow would have taken the signal: this one has closed.
      return false;
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new ExecutionUnavailableException(
          "could not reach the workflow of execution " + executionId + ": " + describe(e), e);
    }
  }

  private ExecutionWorkflow newExecutionWorkflow(String executionId) {
    return client.newWorkflowStub(
        ExecutionWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(ExecutionIds.workflowId(executionId))
            .setTaskQueue(TaskQueues.EXECUTIONS)
            // One workflow per execution, ever: a finished one must not be run again.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build());
  }

  @Override
  public void wake(String executionId) {
    try {
      client
          .newWorkflowStub(ExecutionWorkflow.class, ExecutionIds.workflowId(executionId))
          .slotFreed();
    } catch (WorkflowNotFoundException e) {
      // Ended, or not started yet: it checks for a slot when it starts.
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new ExecutionUnavailableException(
          "could not reach the workflow of execution " + executionId + ": " + describe(e), e);
    }
  }

  @Override
  public void redeliver(String executionId, String tokenFingerprint) {
    CallbackWorkflow workflow =
        client.newWorkflowStub(
            CallbackWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ExecutionIds.callbackWorkflowId(executionId, tokenFingerprint))
                .setTaskQueue(TaskQueues.EXECUTIONS)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(workflow::deliver, executionId);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // This token's delivery is already under way or done.
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      throw new ExecutionUnavailableException(
          "could not start the delivery of execution " + executionId + ": " + describe(e), e);
    }
  }

  @Override
  public WorkflowState state(String executionId) {
    try {
      WorkflowExecutionStatus status =
          client
              .newUntypedWorkflowStub(ExecutionIds.workflowId(executionId))
              .describe()
              .getStatus();
      return switch (status) {
        case WORKFLOW_EXECUTION_STATUS_RUNNING -> WorkflowState.RUNNING;
        case WORKFLOW_EXECUTION_STATUS_COMPLETED, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW ->
            WorkflowState.COMPLETED;
        default -> WorkflowState.CLOSED_ABNORMALLY;
      };
    } catch (WorkflowNotFoundException e) {
      return WorkflowState.NOT_FOUND;
    } catch (WorkflowServiceException | StatusRuntimeException e) {
      if (isNotFound(e)) {
        return WorkflowState.NOT_FOUND;
      }
      throw new ExecutionUnavailableException(
          "could not describe the workflow of execution " + executionId + ": " + describe(e), e);
    }
  }

  private static boolean isNotFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException status
          && status.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof StatusRuntimeException status) {
        Status s = status.getStatus();
        return s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
      }
      t = t.getCause();
    }
    return e.getMessage();
  }
}
