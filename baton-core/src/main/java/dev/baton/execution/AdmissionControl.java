package dev.baton.execution;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.RunMonitor.StopRequest;
import dev.baton.callback.CallerRelay;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-agent concurrency: how many executions of an agent may run at once, what a queued execution
 * does between two checks (its caller is heartbeated, so a heartbeat timeout does not kill it), and
 * waking queued executions when a slot frees. The slots themselves are counted by the store ({@link
 * ExecutionStore#claimSlot}), so the limit holds across restarts and servers sharing a database.
 */
public final class AdmissionControl {
  /** First wait of a queued execution; doubled after each check up to {@link #MAX_WAIT}. */
  public static final Duration MIN_WAIT = Duration.ofSeconds(1);

  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

  /** Queued executions woken when a slot frees; the oldest is the one that can take it. */
  private static final int WAKE_AT_MOST = 10;

  private final ExecutionStore store;
  private final ExecutionLauncher launcher;
  private final CallerRelay relay;
  private final ExecutionObserver observer;
  private final Clock clock;
  private final int defaultMaxConcurrent;

  /**
   * @param defaultMaxConcurrent the limit of agents whose definition sets none; 0 for no limit
   */
  public AdmissionControl(
      ExecutionStore store,
      ExecutionLauncher launcher,
      CallerRelay relay,
      ExecutionObserver observer,
      Clock clock,
      int defaultMaxConcurrent) {
    this.store = store;
    this.launcher = launcher;
    this.relay = relay;
    this.observer = observer;
    this.clock = clock;
    this.defaultMaxConcurrent = defaultMaxConcurrent;
  }

  /** How many executions of the agent may run at once; 0 for no limit. */
  public int limitOf(AgentDefinition agent) {
    return agent.maxConcurrent() != AgentDefinition.SERVER_DEFAULT_CONCURRENCY
        ? agent.maxConcurrent()
        : defaultMaxConcurrent;
  }

  /**
   * A queued execution's turn between two checks: heartbeats its caller and says how long to wait.
   * Ends the execution CANCELLED (and returns {@link Admission#ended()}) when its caller cancelled,
   * or is gone for the grace period and the execution was to stop then.
   */
  Admission queued(SlotClaim claim, int limit, QueueState state) {
    Execution execution = claim.execution();
    if (state.checks() == 0) {
      log.info(
          "execution queued execution={} agent={} maxConcurrent={} ahead={} token={}",
          execution.id(),
          execution.spec().agent(),
          limit,
          claim.ahead(),
          execution.status().callback().loggedFingerprint());
    }
    Duration wait = backoff(state.checks());
    String goneFingerprint = state.goneFingerprint();
    java.time.Instant goneSince = state.goneSince();
    if (execution.status().callback().state() == CallbackState.PENDING
        && execution.status().callback().tokenFingerprint() != null) {
      CallerRelay.QueuedBeat beat =
          relay.beatQueued(
              execution,
              "queued: waiting for one of "
                  + limit
                  + " slots of agent '"
                  + execution.spec().agent()
                  + "', "
                  + claim.ahead()
                  + " ahead",
              goneFingerprint,
              goneSince);
      if (beat.stop().isPresent()) {
        stop(execution, beat.stop().get());
        return Admission.ended();
      }
      goneFingerprint = beat.goneFingerprint();
      goneSince = beat.goneSince();
      Duration heartbeat = relay.interval(execution);
      wait = heartbeat.compareTo(wait) < 0 ? heartbeat : wait;
    }
    return Admission.queued(wait, new QueueState(state.checks() + 1, goneFingerprint, goneSince));
  }

  /**
   * Wakes the oldest queued executions of the finished execution's agent, so one takes the freed
   * slot now rather than at its next timer. Best effort: a queued execution checks again within
   * {@link #MAX_WAIT} anyway.
   */
  void slotFreed(Execution finished, int limit) {
    if (limit == 0) {
      return;
    }
    List<String> queued;
    try {
      queued = store.pendingOf(finished.spec().agent(), Math.min(limit, WAKE_AT_MOST));
    } catch (RuntimeException e) {
      log.warn(
          "could not list queued executions of agent {}: {}",
          finished.spec().agent(),
          e.toString());
      return;
    }
    for (String id : queued) {
      try {
        launcher.wake(id);
      } catch (RuntimeException e) {
        log.debug("could not wake queued execution {}: {}", id, e.toString());
      }
    }
  }

  static Duration backoff(int checks) {
    Duration wait = MIN_WAIT.multipliedBy(1L << Math.min(checks, 10));
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }

  private void stop(Execution execution, StopRequest stop) {
    boolean wasTerminal = store.find(execution.id()).map(e -> e.phase().isTerminal()).orElse(false);
    Execution stopped =
        store.finish(
            execution.id(),
            new Termination(
                ExecutionPhase.CANCELLED,
                null,
                null,
                new ExecutionError(stop.errorType(), stop.reason()),
                clock.instant()));
    if (!wasTerminal) {
      observer.finished(stopped);
    }
    log.info(
        "queued execution stopped execution={} error={} token={}",
        execution.id(),
        stop.errorType(),
        stopped.status().callback().loggedFingerprint());
  }
}
