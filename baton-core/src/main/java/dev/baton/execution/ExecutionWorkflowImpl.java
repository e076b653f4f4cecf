package dev.baton.execution;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.RunMonitor.StopRequest;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** See {@link ExecutionWorkflow}. Every terminal path ends in one delivery step. */
public final class ExecutionWorkflowImpl implements ExecutionWorkflow {
  /** Workflows started before admission control began with a plain {@code begin}. */
  static final String ADMISSION_CHANGE = "admission-control";

  /** Workflows started before the eager-run step ran their agent activity after admission. */
  static final String EAGER_RUN_CHANGE = "eager-run-local-end";

  /**
   * Workflows started before an agent activity whose attempts were used up by stopping servers was
   * scheduled again.
   */
  static final String SERVER_STOP_ROUNDS_CHANGE = "server-stop-rounds";

  /**
   * Rounds of {@code agentMaxAttempts} attempts an agent activity gets when servers that stopped (a
   * rolling deploy, restarts) used up the attempts of the rounds before; crashes and silent runners
   * still end it after one round.
   */
  static final int MAX_AGENT_ROUNDS = 10;

  /** Workflows started before the relay heartbeated the callers of external agents. */
  static final String EXTERNAL_RELAY_CHANGE = "external-caller-relay";

  /**
   * The caller relay activity's heartbeat timeout: the relay beats at least every 10 s (a caller's
   * heartbeat timeout / 3, at most the server's relay interval); a relay whose server died is
   * retried on another server after this long.
   */
  static final Duration RELAY_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /** A queued execution continues as new past this many history events, to bound its history. */
  static final long MAX_QUEUED_HISTORY = 10_000;

  private final ExecutionWorkflowOptions options;
  private final ExecutionActivities system;
  private final EagerRunActivities eagerRun;
  private final DeliveryStep delivery;
  private CancellationScope agentScope;
  private String cancelReason;

  /** Why an external agent's caller asked it to stop (it cancelled, or is gone), else null. */
  private StopRequest callerStop;

  private boolean slotFreed;

  /** The callback state the runner's side left when it recorded the end itself, else null. */
  private CallbackState recordedByRunner;

  public ExecutionWorkflowImpl(ExecutionWorkflowOptions options) {
    this.options = options;
    // Store steps retry until the database is back: an execution must not end half-recorded.
    this.system =
        Workflow.newLocalActivityStub(ExecutionActivities.class, DeliveryStep.storeStepOptions());
    this.delivery = new DeliveryStep(options, system);
    this.eagerRun =
        Workflow.newLocalActivityStub(
            EagerRunActivities.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
  }

  @Override
  public CallbackState run(String executionId) {
    Admission admission = admit(executionId);
    if (admission.settled() != null) {
      // It ended and its callback was settled before this first step (an eager run recorded and
      // delivered the end): nothing is left to do.
      return admission.settled();
    }
    AgentInvocation invocation = admission.invocation();
    if (invocation != null) {
      // Admission waits for this server's eager run itself; histories recorded before it did
      // replay along this workflow's own wait.
      CallbackState eagerEnd = admission.eagerRunAwaited() ? null : eagerRunEnd(executionId);
      if (eagerEnd != null) {
        // The eager run on this server recorded the end and delivered it: no agent activity.
        return eagerEnd;
      }
      AgentOutcome outcome = runAgent(invocation);
      if (recordedByRunner == null) {
        Workflow.newDetachedCancellationScope(() -> system.finish(executionId, outcome)).run();
      } else if (recordedByRunner.isFinal()) {
        // RecordingAgentActivities recorded the end and delivered it: nothing is left to do.
        return recordedByRunner;
      }
    }
    return delivery.run(executionId);
  }

  @Override
  public void cancel(String reason) {
    cancelReason = reason;
    if (agentScope != null) {
      agentScope.cancel(reason);
    }
  }

  @Override
  public void slotFreed() {
    slotFreed = true;
  }

  /**
   * The admission once the agent has a slot, or once the execution has ended (before this step, or
   * while waiting: it was cancelled, or its caller went away); never a queued one. Waits between
   * checks on a durable timer that a SlotFreed signal or a cancel cuts short.
   */
  private Admission admit(String executionId) {
    if (Workflow.getVersion(ADMISSION_CHANGE, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      AgentInvocation begun = system.begin(executionId);
      return begun == null ? Admission.ended() : Admission.admitted(begun);
    }
    QueueState queue = QueueState.FIRST;
    while (true) {
      if (cancelReason != null) {
        return endQueued(executionId, cancelReason);
      }
      Admission admission = system.admit(executionId, queue);
      if (!admission.queued()) {
        return admission;
      }
      queue = admission.next();
      slotFreed = false;
      try {
        Workflow.await(admission.retryAfter(), () -> slotFreed || cancelReason != null);
      } catch (CanceledFailure cancelled) {
        return endQueued(executionId, reasonOr("execution cancelled"));
      }
      if (cancelReason == null
          && (Workflow.getInfo().isContinueAsNewSuggested()
              || Workflow.getInfo().getHistoryLength() > MAX_QUEUED_HISTORY)) {
        Workflow.continueAsNew(executionId);
      }
    }
  }

  /**
   * The final callback state this server's eager run left, when its agent ended within a moment
   * (see {@link EagerRunActivitiesImpl} for how long the step waits); else null, and the agent
   * activity adopts the run (or runs the agent).
   */
  private CallbackState eagerRunEnd(String executionId) {
    if (cancelReason != null
        || Workflow.getVersion(EAGER_RUN_CHANGE, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return null;
    }
    try {
      return eagerRun.awaitEagerRun(executionId);
    } catch (ActivityFailure failure) {
      return null;
    }
  }

  private Admission endQueued(String executionId, String reason) {
    Workflow.newDetachedCancellationScope(
            () -> system.finish(executionId, AgentOutcome.cancelled(reason)))
        .run();
    return Admission.ended();
  }

  private AgentOutcome runAgent(AgentInvocation invocation) {
    AgentActivities agent =
        Workflow.newActivityStub(
            AgentActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(invocation.taskQueue())
                .setScheduleToCloseTimeout(invocation.timeout().plus(options.agentDeadlineGrace()))
                .setHeartbeatTimeout(options.agentHeartbeatTimeout())
                // Wait for the runner to confirm it stopped the agent before recording CANCELLED.
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(options.agentMaxAttempts())
                        .setDoNotRetry(
                            ExecutionError.AGENT_FAILED,
                            ExecutionError.AGENT_TIMEOUT,
                            ExecutionError.AGENT_NOT_RUNNABLE,
                            ExecutionError.CALLER_CANCELLED,
                            ExecutionError.CALLER_GONE)
                        .build())
                .build());
    AgentOutput[] output = new AgentOutput[1];
    if (cancelReason != null) {
      return AgentOutcome.cancelled(cancelReason);
    }
    CancellationScope relay = null;
    try {
      for (int round = 1; ; round++) {
        agentScope = Workflow.newCancellationScope(() -> output[0] = agent.run(invocation));
        if (relay == null) {
          relay = relayExternalCaller(invocation);
        }
        try {
          agentScope.run();
          recordedByRunner = output[0].recordedCallback();
          return AgentOutcome.completed(output[0].output(), output[0].structuredOutput());
        } catch (ActivityFailure failure) {
          if (callerStop != null && cancelReason == null) {
            return stoppedByCaller();
          }
          if (round < MAX_AGENT_ROUNDS
              && cancelReason == null
              && serversStoppedTheLastAttempt(failure)
              && Workflow.getVersion(SERVER_STOP_ROUNDS_CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
            Workflow.getLogger(ExecutionWorkflowImpl.class)
                .info(
                    "the agent activity of execution={} used its attempts on servers that stopped"
                        + " (restarts, deploys), not on failures: scheduling it again, round {}"
                        + " of {}",
                    invocation.executionId(),
                    round + 1,
                    MAX_AGENT_ROUNDS);
            continue;
          }
          return AgentOutcomes.of(failure, invocation, cancelReason);
        } catch (CanceledFailure cancelled) {
          return AgentOutcome.cancelled(reasonOr("execution cancelled"));
        }
      }
    } finally {
      if (relay != null) {
        relay.cancel();
      }
    }
  }

  /**
   * Whether the agent activity's attempts ran out and its last attempt ended because the server
   * running it stopped (its eager run was stopped, or the SDK's worker shut down under it), not
   * because the agent or its runner failed.
   */
  static boolean serversStoppedTheLastAttempt(ActivityFailure failure) {
    return failure.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED
        && failure.getCause() instanceof ApplicationFailure stopped
        && (EagerRuns.RUN_STOPPED.equals(stopped.getType())
            || ActivityWorkerShutdownException.class.getName().equals(stopped.getType()));
  }

  /**
   * Relays for the caller of an external agent, whose runner (in another worker) cannot: the relay
   * activity runs beside the agent's and completes when the caller asks the agent to stop, which
   * then cancels the agent's activity. Built-in runners relay inside their run.
   *
   * @return the relay's scope, cancelled once the agent's run ends; null when there is no relay
   */
  private CancellationScope relayExternalCaller(AgentInvocation invocation) {
    if (TaskQueues.AGENTS.equals(invocation.taskQueue())
        || Workflow.getVersion(EXTERNAL_RELAY_CHANGE, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION) {
      return null;
    }
    CallerRelayActivities relay =
        Workflow.newActivityStub(
            CallerRelayActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.AGENTS)
                .setScheduleToCloseTimeout(invocation.timeout().plus(options.agentDeadlineGrace()))
                .setHeartbeatTimeout(RELAY_HEARTBEAT_TIMEOUT)
                .setCancellationType(ActivityCancellationType.TRY_CANCEL)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .build())
                .build());
    CancellationScope scope =
        Workflow.newCancellationScope(
            () ->
                Async.function(relay::relayCaller, invocation.executionId())
                    .handle(
                        (stop, failure) -> {
                          callerAsksToStop(stop);
                          return null;
                        }));
    scope.run();
    return scope;
  }

  private void callerAsksToStop(StopRequest stop) {
    if (stop != null && callerStop == null && cancelReason == null) {
      callerStop = stop;
      agentScope.cancel(stop.reason());
    }
  }

  private AgentOutcome stoppedByCaller() {
    return new AgentOutcome(
        ExecutionPhase.CANCELLED,
        null,
        null,
        new ExecutionError(callerStop.errorType(), callerStop.reason()));
  }

  private String reasonOr(String fallback) {
    return cancelReason == null ? fallback : cancelReason;
  }
}
