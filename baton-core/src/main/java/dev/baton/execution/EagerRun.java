package dev.baton.execution;

import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRun;
import dev.baton.agent.RunMonitor.StopRequest;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One agent run that {@link EagerRuns} started at Create: its outcome, for the agent activity that
 * adopts it, and how to stop it.
 */
final class EagerRun {
  private final AgentInvocation invocation;

  /** The token Create stored, null without one; never logged (its toString is the fingerprint). */
  private final CallbackToken callbackToken;

  private final CompletableFuture<AgentOutput> result = new CompletableFuture<>();
  private final CompletableFuture<Boolean> workflowStart = new CompletableFuture<>();
  private volatile StopRequest stop;
  private volatile String progress = "running";
  private volatile Instant leaseExpiresAt;
  private volatile boolean agentEnded;
  private volatile CallbackState recorded;

  EagerRun(AgentInvocation invocation, Instant leaseExpiresAt, CallbackToken callbackToken) {
    this.invocation = invocation;
    this.leaseExpiresAt = leaseExpiresAt;
    this.callbackToken = callbackToken;
  }

  AgentInvocation invocation() {
    return invocation;
  }

  String executionId() {
    return invocation.executionId();
  }

  /** The callback token the execution was created with; null without one. */
  CallbackToken callbackToken() {
    return callbackToken;
  }

  /**
   * The output (marked recorded when this run recorded the end), or the runner's exception: {@link
   * dev.baton.agent.AgentFailedException}, {@link dev.baton.agent.AgentCancelledException} or one
   * that a retry may not repeat.
   */
  CompletableFuture<AgentOutput> result() {
    return result;
  }

  /** Settles the start of the execution's workflow, which runs while the agent does. */
  void workflowStarted(boolean started) {
    workflowStart.complete(started);
  }

  /**
   * Whether the execution's workflow started, once that is settled (the start is bounded by {@link
   * TemporalExecutionLauncher#START_TIMEOUT}).
   */
  boolean awaitWorkflowStart() {
    return workflowStart.join();
  }

  /** Marks that the agent returned or failed: the run now records the end and delivers it. */
  void markAgentEnded() {
    agentEnded = true;
  }

  /** Whether the agent returned or failed; the end may not be recorded yet. */
  boolean agentEnded() {
    return agentEnded;
  }

  /** Notes that this run recorded the execution's end, leaving the callback {@code state}. */
  void recorded(CallbackState state) {
    recorded = state;
  }

  /**
   * The callback state this run left when it recorded the execution's end, set before {@link
   * #result()} completes; null when it recorded none.
   */
  CallbackState recordedCallback() {
    return recorded;
  }

  /** The runner's latest heartbeat text. */
  String progress() {
    return progress;
  }

  /**
   * Asks the run to stop at its runner's next heartbeat; the first request wins. A request of type
   * {@link EagerRuns#RUN_STOPPED} stops it without recording its end: someone else records it, or
   * the agent activity runs the agent again.
   */
  synchronized void stop(StopRequest request) {
    if (stop == null) {
      stop = request;
    }
  }

  /**
   * Throws the stop of type {@link EagerRuns#RUN_STOPPED} when one was asked for: the run must not
   * record its end even if its agent ended before it saw the stop.
   */
  void requireRecordable() {
    StopRequest current = stop;
    if (current != null && EagerRuns.RUN_STOPPED.equals(current.errorType())) {
      throw AgentRun.stop(current);
    }
  }

  Instant leaseExpiresAt() {
    return leaseExpiresAt;
  }

  void leaseRenewed(Instant expiresAt) {
    leaseExpiresAt = expiresAt;
  }

  /** The runner's heartbeat: stops the run when asked to. */
  void beat(String progress) {
    this.progress = progress;
    StopRequest current = stop;
    if (current != null) {
      throw AgentRun.stop(current);
    }
  }
}
