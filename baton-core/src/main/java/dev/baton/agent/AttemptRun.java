package dev.baton.agent;

import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One run of an agent by the agent-runner activity on this server, which a later attempt of the
 * same activity may take over ({@link AgentActivitiesImpl}).
 *
 * <p>The run belongs to one attempt at a time: the one that started it, until a later attempt takes
 * it over. When its attempt is gone from Temporal (timed out while the machine was starved, so
 * Temporal retries it), the run goes on for the handover wait; a later attempt that comes within it
 * takes the run over instead of running the agent a second time beside it. A run nobody takes over
 * by then is abandoned: it stops at its runner's next heartbeat.
 */
final class AttemptRun {
  private final CompletableFuture<AgentOutput> result = new CompletableFuture<>();
  private volatile String progress = "running";
  private volatile ActivityCompletionException cancelled;

  // Guarded by this.
  private boolean handedOver;
  private boolean abandoned;
  private long goneSinceNanos;

  /** The runner's output, or the exception the run ended with. */
  CompletableFuture<AgentOutput> result() {
    return result;
  }

  String progress() {
    return progress;
  }

  void progress(String latest) {
    progress = latest;
  }

  /**
   * Gives the run to a later attempt, which from now on heartbeats Temporal for it.
   *
   * @return false when the run was abandoned: the later attempt waits for it to end and runs the
   *     agent itself
   */
  synchronized boolean handOver() {
    if (abandoned) {
      return false;
    }
    handedOver = true;
    goneSinceNanos = 0;
    return true;
  }

  /** Whether a later attempt took the run over: the attempt that started it no longer reports. */
  synchronized boolean handedOver() {
    return handedOver;
  }

  /**
   * Notes that the attempt the run belongs to is gone from Temporal; the first time counts.
   *
   * @return true the first time since the run was last handed over
   */
  synchronized boolean attemptGone() {
    if (goneSinceNanos != 0) {
      return false;
    }
    goneSinceNanos = System.nanoTime();
    return true;
  }

  /**
   * Abandons the run when its attempt has been gone for {@code wait} and no later attempt took it
   * over since.
   *
   * @return true when the run must stop now
   */
  synchronized boolean abandonIfGoneFor(Duration wait) {
    if (!abandoned && goneSinceNanos != 0 && System.nanoTime() - goneSinceNanos >= wait.toNanos()) {
      abandoned = true;
    }
    return abandoned;
  }

  /** Asks the run to stop at its runner's next heartbeat: Temporal cancelled the activity. */
  void cancel(ActivityCompletionException cancellation) {
    cancelled = cancellation;
  }

  /** Temporal's cancellation of the attempt the run belongs to, or null. */
  ActivityCompletionException cancellation() {
    return cancelled;
  }
}
