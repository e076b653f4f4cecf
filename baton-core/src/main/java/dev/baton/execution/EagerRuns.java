package dev.baton.execution;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRun;
import dev.baton.agent.AgentSlots;
import dev.baton.agent.RunMonitor.StopRequest;
import dev.baton.execution.RecordingAgentActivities.Recorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eager start (ADR 0002): the agent of a just-created execution runs at once on this server,
 * instead of after the execution workflow's first task and the dispatch of its agent activity, two
 * Temporal round trips on every call's path.
 *
 * <ul>
 *   <li><b>One run per execution.</b> The run starts only with a run lease, taken in the store
 *       transaction that creates the execution IN_PROGRESS (before its workflow starts, so that the
 *       workflow's first task always finds the run), and renewed every {@link #RENEW_EVERY} while
 *       the agent runs. The agent activity, when Temporal dispatches it, adopts the run ({@link
 *       AdoptingAgentActivities}): here it waits for it, elsewhere it waits for the lease to end or
 *       lapse, and only then may run the agent itself.
 *   <li><b>The workflow starts only when the run needs one</b> (ADR 0003, {@link
 *       DeferredWorkflowStarts}): once the run outlives the workflow delay, or as soon as it ends
 *       without its end recorded and delivered. Create answers once the execution is stored; a run
 *       that delivers its end within the delay never starts a workflow. With a zero delay Create
 *       starts the workflow while the agent runs and answers once it started; when it cannot start,
 *       the run is stopped without recording and the execution goes back to PENDING, unless the
 *       agent already ended it.
 *   <li><b>Only where nothing else decides when the agent runs:</b> a built-in runner, no {@code
 *       maxConcurrent} limit (admission stays in the workflow), and a free eager slot (as many as
 *       the server's agent slots).
 *   <li><b>The run records its end and delivers it</b> (completion, failure, or cancellation by the
 *       caller or the API) as {@link RecordingAgentActivities} does; a failure a retry could mend
 *       is left to the activity's retry, which runs the agent again.
 *   <li><b>Cancellation</b> reaches the run directly when it is cancelled through this server, and
 *       through the adopting activity or the lease renewal (the execution ended) otherwise.
 * </ul>
 */
public final class EagerRuns implements EagerStart, AutoCloseable {
  /** How long a run lease lasts without renewal: how long a dead server's run blocks a new one. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  /** How often a live run renews its lease (and sees that its execution ended elsewhere). */
  static final Duration RENEW_EVERY = Duration.ofSeconds(10);

  /**
   * Type of a stop whose end is not this run's to record: the execution ended elsewhere, the lease
   * was lost, the workflow could not start, the adopting activity was cancelled, or the server
   * shuts down. The adopting activity fails with it retryably.
   */
  public static final String RUN_STOPPED = "EagerRunStopped";

  private static final Logger log = LoggerFactory.getLogger(EagerRuns.class);

  private final ExecutionStore store;
  private final AgentRun agentRun;
  private final Recorder recorder;
  private final AdmissionControl admission;
  private final Clock clock;

  /** This server process as a lease owner: unique per process. */
  private final String owner;

  private final AgentSlots slots;
  private final Map<String, EagerRun> runs = new ConcurrentHashMap<>();
  private final ExecutorService runners;
  private final ScheduledExecutorService renewer;

  /** Null when a run's workflow starts with Create. */
  private final DeferredWorkflowStarts deferredStarts;

  /**
   * @param agentRun runs agents with the built-in runners, as the agent activity does
   * @param recorder records an execution's end and delivers it
   * @param admission says which agents have a concurrency limit
   * @param slots the server's agent slots, shared with the agent activities: an eager run starts
   *     only when one is free now, else the execution starts in its activity
   * @param workflowDelay how long a run goes without its execution workflow (ADR 0003, {@link
   *     DeferredWorkflowStarts}); zero starts it in Create, which then answers once it started
   */
  public EagerRuns(
      ExecutionStore store,
      AgentRun agentRun,
      Recorder recorder,
      AdmissionControl admission,
      Clock clock,
      AgentSlots slots,
      Duration workflowDelay) {
    this.store = store;
    this.agentRun = agentRun;
    this.recorder = recorder;
    this.admission = admission;
    this.clock = clock;
    this.owner = "baton-" + UUID.randomUUID();
    this.slots = slots;
    this.deferredStarts = workflowDelay.isZero() ? null : new DeferredWorkflowStarts(workflowDelay);
    this.runners = Executors.newCachedThreadPool(DaemonThreads.numbered("baton-eager-run-"));
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("baton-eager-lease"));
    renewer.scheduleWithFixedDelay(
        this::renewLeases, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<Claim> claim(AgentDefinition agent) {
    if (!TaskQueues.AGENTS.equals(TaskQueues.forAgent(agent))
        || admission.limitOf(agent) != 0
        || !slots.tryTake()) {
      return Optional.empty();
    }
    return Optional.of(new EagerClaim(agent, new RunLease(owner, clock.instant().plus(LEASE))));
  }

  /** A slot taken for an execution about to be created; see {@link EagerStart.Claim}. */
  private final class EagerClaim implements Claim {
    private final AgentDefinition agent;
    private final RunLease lease;
    private boolean done;

    EagerClaim(AgentDefinition agent, RunLease lease) {
      this.agent = agent;
      this.lease = lease;
    }

    @Override
    public RunLease lease() {
      return lease;
    }

    @Override
    public void launch(Execution execution, CallbackToken token, Runnable startWorkflow) {
      end();
      String id = execution.id();
      EagerRun run =
          new EagerRun(
              ExecutionActivitiesImpl.invocationOf(execution, agent, store),
              lease.expiresAt(),
              token);
      // Known before the workflow starts, so that its first task finds the run and waits for it.
      runs.put(id, run);
      boolean running = submit(run);
      if (running) {
        log.info(
            "execution started eagerly execution={} agent={} callerWorkflow={} callerActivity={}"
                + " token={}",
            id,
            agent.name(),
            CallerIdentity.workflowIdOf(execution.spec().caller()),
            CallerIdentity.activityIdOf(execution.spec().caller()),
            execution.status().callback().loggedFingerprint());
      }
      if (running && deferredStarts != null) {
        // Create answers now; the workflow starts only if the run outlives the delay or ends
        // without delivering its end.
        deferredStarts.schedule(run, startWorkflow, () -> abandonUnlessEnded(id));
        return;
      }
      // The agent runs while the workflow starts, and its end may be recorded and delivered first:
      // the workflow then finds the execution ended. StartWorkflowExecution is thus off the
      // caller's path, where it cost most of Baton's own time (docs/performance.md).
      boolean started = false;
      try {
        startWorkflow.run();
        started = true;
      } catch (RuntimeException e) {
        run.stop(new StopRequest(RUN_STOPPED, "the execution's workflow could not start"));
        if (!abandonUnlessEnded(id)) {
          throw e;
        }
        // The end is stored: the caller gets it from the run's delivery, or from the reconciler's
        // redelivery once Temporal is back. A retried Create would find it ended.
        log.warn(
            "the workflow of execution={} could not start, but its agent had already ended;"
                + " Create answers with the execution: {}",
            id,
            e.toString());
      } finally {
        run.workflowStarted(started);
      }
      if (!running) {
        // The agent activity runs the agent, without waiting for the lease to lapse.
        dropLease(id);
      }
    }

    @Override
    public void release() {
      end();
      slots.release();
    }

    private void end() {
      if (done) {
        throw new IllegalStateException("this claim was already launched or released");
      }
      done = true;
    }
  }

  /** Starts the run's agent; false when the server is closing and the agent activity runs it. */
  private boolean submit(EagerRun run) {
    try {
      runners.execute(() -> execute(run));
      return true;
    } catch (RejectedExecutionException shuttingDown) {
      runs.remove(run.executionId(), run);
      run.result().completeExceptionally(shuttingDown);
      slots.release();
      return false;
    }
  }

  /**
   * Back to PENDING, for the retried Create (or the reconciler) to start its workflow.
   *
   * @return true when the execution could not go back because its run had already ended it
   */
  private boolean abandonUnlessEnded(String executionId) {
    try {
      return !store.abandonLeased(executionId, owner)
          && store.find(executionId).map(execution -> execution.phase().isTerminal()).orElse(false);
    } catch (RuntimeException e) {
      log.warn(
          "could not put execution={} back to PENDING after its workflow failed to start; the"
              + " reconciler starts its workflow once its run lease lapses: {}",
          executionId,
          e.toString());
      return false;
    }
  }

  @Override
  public void cancel(String executionId, String reason) {
    EagerRun run = runs.get(executionId);
    if (run != null) {
      run.stop(new StopRequest(ExecutionError.CANCELLED, reason));
    }
  }

  @Override
  public Optional<CallbackState> awaitEnd(
      String executionId, Duration whileRunning, Duration whileRecording) {
    EagerRun run = runs.get(executionId);
    if (run == null) {
      return Optional.empty();
    }
    try {
      CallbackState recorded = awaitResult(run, whileRunning, whileRecording).recordedCallback();
      if (recorded != null && recorded.isFinal()) {
        // The run recorded the end before it completed its result: nothing to read back.
        return Optional.of(recorded);
      }
    } catch (TimeoutException stillRunning) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException ended) {
      // Failed or stopped: what it recorded, if anything, is in the store.
    }
    return store
        .find(executionId)
        .filter(execution -> execution.phase().isTerminal())
        .map(execution -> execution.status().callback().state())
        .filter(CallbackState::isFinal);
  }

  /**
   * The run's result within {@code whileRunning}, or within {@code whileRecording} in all when its
   * agent has ended by then.
   *
   * @throws TimeoutException the agent still runs, or the run still records or delivers the end
   */
  private static AgentOutput awaitResult(
      EagerRun run, Duration whileRunning, Duration whileRecording)
      throws InterruptedException, ExecutionException, TimeoutException {
    long start = System.nanoTime();
    try {
      return run.result().get(whileRunning.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException running) {
      if (!run.agentEnded()) {
        throw running;
      }
      long left = whileRecording.toNanos() - (System.nanoTime() - start);
      return run.result().get(Math.max(0, left), TimeUnit.NANOSECONDS);
    }
  }

  /** This server's run of the execution, while it runs. */
  Optional<EagerRun> find(String executionId) {
    return Optional.ofNullable(runs.get(executionId));
  }

  private void execute(EagerRun run) {
    AgentInvocation invocation = run.invocation();
    String id = invocation.executionId();
    Optional<CallbackState> recorded = Optional.empty();
    try {
      AgentOutput output = runAgent(run);
      recorded = record(run, AgentOutcome.completed(output.output(), output.structuredOutput()));
      run.result().complete(recorded.map(output::recorded).orElse(output));
    } catch (AgentFailedException e) {
      recorded = record(run, AgentOutcome.failed(e.type(), e.getMessage()));
      run.result().completeExceptionally(e);
    } catch (AgentCancelledException e) {
      Optional<StopRequest> stop =
          AgentRun.stopRequest(e).filter(request -> !RUN_STOPPED.equals(request.errorType()));
      if (stop.isPresent()) {
        recorded =
            record(
                run,
                new AgentOutcome(
                    ExecutionPhase.CANCELLED,
                    null,
                    null,
                    new ExecutionError(stop.get().errorType(), stop.get().reason())));
      }
      run.result().completeExceptionally(e);
    } catch (RuntimeException | Error e) {
      log.warn(
          "eager run of execution={} failed, its agent activity retries it: {}", id, e.toString());
      run.result().completeExceptionally(e);
    } finally {
      // An end recorded with a final callback dropped the lease in the store's same transaction.
      // With nothing recorded, the lease goes once the workflow started, so that its agent
      // activity runs the agent at once; if it could not start, the lease goes with the
      // execution's return to PENDING (abandonUnlessEnded), which needs it held until then.
      if (recorded.isPresent() ? !recorded.get().isFinal() : run.awaitWorkflowStart()) {
        dropLease(id);
      }
      runs.remove(id, run);
      slots.release();
    }
  }

  /**
   * Runs the agent. An end that comes after a stop of type {@link #RUN_STOPPED} (the agent ended
   * before its runner's next heartbeat saw the stop) is not this run's to record: the run ends as
   * stopped.
   */
  private AgentOutput runAgent(EagerRun run) {
    try {
      AgentOutput output = agentRun.run(run.invocation(), run::beat);
      run.requireRecordable();
      return output;
    } catch (AgentFailedException e) {
      run.requireRecordable();
      throw e;
    } finally {
      run.markAgentEnded();
    }
  }

  /** Records the end and delivers it; empty when that failed and is left to the workflow. */
  private Optional<CallbackState> record(EagerRun run, AgentOutcome outcome) {
    String executionId = run.executionId();
    try {
      CallbackState state = recorder.record(executionId, outcome, run.callbackToken());
      run.recorded(state);
      return Optional.of(state);
    } catch (RuntimeException e) {
      log.warn(
          "recording the end of eager run execution={} failed, its workflow records it: {}",
          executionId,
          e.toString());
      return Optional.empty();
    }
  }

  private void dropLease(String executionId) {
    try {
      store.releaseLease(executionId, owner);
    } catch (RuntimeException e) {
      log.warn(
          "could not release the run lease of execution={}, it lapses within {}: {}",
          executionId,
          LEASE,
          e.toString());
    }
  }

  /**
   * Renews every live run's lease, all in one store transaction. A run whose execution ended
   * elsewhere, or whose lease was lost or cannot be renewed before it lapses, is stopped without
   * recording: another run may start.
   */
  void renewLeases() {
    List<EagerRun> live = List.copyOf(runs.values());
    if (live.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Instant until = now.plus(LEASE);
    Set<String> renewed;
    try {
      renewed =
          store.renewLeases(
              live.stream().map(EagerRun::executionId).toList(), new RunLease(owner, until));
    } catch (RuntimeException e) {
      for (EagerRun run : live) {
        if (!run.leaseExpiresAt().isAfter(now.plus(RENEW_EVERY))) {
          log.warn(
              "cannot renew the run lease of execution={}, stopping its agent: {}",
              run.executionId(),
              e.toString());
          run.stop(
              new StopRequest(
                  RUN_STOPPED, "the run lease could not be renewed: store unreachable"));
        }
      }
      return;
    }
    for (EagerRun run : live) {
      if (renewed.contains(run.executionId())) {
        run.leaseRenewed(until);
      } else {
        run.stop(new StopRequest(RUN_STOPPED, "the execution ended or its run lease was lost"));
      }
    }
  }

  /** Stops every run without recording its end: the agent activity runs it again elsewhere. */
  @Override
  public void close() {
    renewer.shutdownNow();
    if (!runs.isEmpty()) {
      log.info(
          "stopping {} agent run(s) of this server; their agent activities run them again on"
              + " another server or after a restart",
          runs.size());
    }
    for (EagerRun run : runs.values()) {
      run.stop(new StopRequest(RUN_STOPPED, "the server is shutting down"));
    }
    DaemonThreads.stop(runners, Duration.ofSeconds(10));
    if (deferredStarts != null) {
      // Runners that stopped unrecorded waited for their workflows' starts (their activities run
      // the agents again); what is still deferred now is left to the reconciler.
      deferredStarts.close();
    }
  }
}
