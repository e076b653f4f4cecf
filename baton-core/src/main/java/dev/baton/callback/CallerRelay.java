package dev.baton.callback;

import dev.baton.agent.AgentInvocation;
import dev.baton.agent.RunMonitor;
import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionStore;
import dev.baton.execution.OnCallerGone;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats callers' activities while their agents run, with the agent's latest progress as
 * details. This keeps a caller with a short heartbeat timeout alive, and is how Baton learns that a
 * caller cancelled (Temporal says so only in a heartbeat response) or is gone (NOT_FOUND).
 *
 * <p>Interval: a third of the caller's heartbeat timeout when it set one, else the default (10 s),
 * so cancellation propagates even to callers without a heartbeat timeout.
 *
 * <p>NOT_FOUND for a token is acted on only once it has lasted the caller-gone grace period with no
 * new token bound: between two attempts of a retried caller activity the old token is already dead
 * while the next attempt is still waiting for its backoff, and must find its agent running.
 */
public final class CallerRelay implements RunMonitor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallerRelay.class);
  private static final Duration MIN_INTERVAL = Duration.ofMillis(200);

  private static final StopRequest CALLER_GONE_STOP =
      new StopRequest(
          ExecutionError.CALLER_GONE,
          "the caller's activity no longer exists (it timed out, was cancelled or terminated);"
              + " agent stopped");

  /** How soon a first beat that could not read its execution tries again. */
  private static final Duration READ_RETRY = Duration.ofSeconds(1);

  private final ExecutionStore store;
  private final CallbackDelivery delivery;
  private final String defaultNamespace;
  private final Duration defaultInterval;
  private final Duration callerGoneGrace;
  private final CallbackObserver observer;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  public CallerRelay(
      ExecutionStore store,
      CallbackDelivery delivery,
      String defaultNamespace,
      Duration defaultInterval,
      Duration callerGoneGrace,
      CallbackObserver observer,
      Clock clock,
      int threads) {
    this.observer = observer;
    this.store = store;
    this.delivery = delivery;
    this.defaultNamespace = defaultNamespace;
    this.defaultInterval = defaultInterval;
    this.callerGoneGrace = callerGoneGrace;
    this.clock = clock;
    this.scheduler =
        Executors.newScheduledThreadPool(
            threads,
            runnable -> {
              Thread thread = new Thread(runnable, "baton-relay");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** The interval for a caller with {@code callerHeartbeatTimeout} (may be null). */
  public static Duration interval(Duration callerHeartbeatTimeout, Duration defaultInterval) {
    if (callerHeartbeatTimeout == null || callerHeartbeatTimeout.isZero()) {
      return defaultInterval;
    }
    Duration third = callerHeartbeatTimeout.dividedBy(3);
    Duration chosen = third.compareTo(defaultInterval) < 0 ? third : defaultInterval;
    return chosen.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : chosen;
  }

  /**
   * Starts relaying for a running execution; the runner closes the handle when it ends. The first
   * beat, due at once on the relay's thread, reads the execution and then beats on its interval
   * while the callback is pending: a run that ends before that beat (an agent that answers at once)
   * costs the relay no store read.
   */
  @Override
  public Handle open(AgentInvocation invocation) {
    return open(invocation.executionId(), Listener.NONE);
  }

  /**
   * Starts relaying for an execution whose agent runs outside this server (an external agent),
   * telling {@code listener} of each beat and of the end: the relay then ends on its own, when the
   * caller asks the agent to stop or nothing is left to relay.
   */
  public Handle open(String executionId, Listener listener) {
    Session session = new Session(executionId, null, listener);
    session.schedule(session::first, Duration.ZERO);
    return session;
  }

  /**
   * Follows a relay that runs for someone outside this server ({@link #open(String, Listener)}).
   */
  public interface Listener {
    /** Listens to nothing: a built-in run follows its handle itself. */
    Listener NONE =
        new Listener() {
          @Override
          public boolean wanted() {
            return true;
          }

          @Override
          public void ended(StopRequest stop) {}
        };

    /**
     * Asked after each heartbeat of the caller.
     *
     * @return false when whoever follows the relay is gone: the relay stops without {@link #ended}
     */
    boolean wanted();

    /**
     * Called once when the relay ends on its own.
     *
     * @param stop why the agent should stop, or null when it may go on (the callback is no longer
     *     pending, or the caller is gone and the agent continues)
     */
    void ended(StopRequest stop);
  }

  /**
   * Heartbeats the caller of an execution that waits for a slot, once and on the calling thread,
   * with {@code progress} as details: keeps a caller with a heartbeat timeout alive while queued,
   * and learns of its cancellation or disappearance as a running execution's relay would.
   *
   * @param goneFingerprint token last seen NOT_FOUND by an earlier call, or {@code null}
   * @param goneSince since when, or {@code null}
   */
  public QueuedBeat beatQueued(
      Execution execution, String progress, String goneFingerprint, Instant goneSince) {
    Session session = new Session(execution.id(), execution, Listener.NONE);
    session.progress = progress;
    session.goneFingerprint = goneFingerprint;
    session.goneSince = goneSince;
    session.beat();
    return new QueuedBeat(
        Optional.ofNullable(session.stop), session.goneFingerprint, session.goneSince);
  }

  /**
   * What one heartbeat of a queued execution's caller found.
   *
   * @param stop set when the caller cancelled, or is gone and the execution should not run
   * @param goneFingerprint to pass to the next {@link #beatQueued}
   * @param goneSince to pass to the next {@link #beatQueued}
   */
  public record QueuedBeat(Optional<StopRequest> stop, String goneFingerprint, Instant goneSince) {}

  /** How often a queued execution's caller should be heartbeated. */
  public Duration interval(Execution execution) {
    return interval(execution.spec().callerHeartbeatTimeout(), defaultInterval);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private static boolean stopsWhenCallerGone(Execution execution) {
    return execution.status().callback().state() == CallbackState.CALLER_GONE
        && execution.spec().onCallerGone() == OnCallerGone.CANCEL;
  }

  /** One execution's relay. */
  final class Session implements Handle {
    private final String executionId;
    private final Listener listener;

    /** As read by the first beat; null before. */
    private volatile Execution execution;

    private volatile String progress;
    private volatile StopRequest stop;
    private ScheduledFuture<?> future; // guarded by this
    private boolean closed; // guarded by this
    private String goneFingerprint;
    private Instant goneSince;

    private Session(String executionId, Execution execution, Listener listener) {
      this.executionId = executionId;
      this.execution = execution;
      this.listener = listener;
    }

    /** Runs {@code beat} once after {@code delay}, unless the session was closed. */
    private void schedule(Runnable beat, Duration delay) {
      next(() -> scheduler.schedule(beat, delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Beats every {@code every} from now on, unless the session was closed. */
    private void scheduleEvery(Duration every) {
      long millis = every.toMillis();
      next(
          () ->
              scheduler.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS));
    }

    /** Makes {@code start}'s task the session's next one, unless the session or relay closed. */
    private synchronized void next(Supplier<ScheduledFuture<?>> start) {
      if (!closed) {
        try {
          future = start.get();
        } catch (RejectedExecutionException relayClosed) {
          closed = true;
        }
      }
    }

    /**
     * Reads the execution, beats once and schedules the next beats, while its callback is pending.
     * When the store cannot be read, tries again after {@link #READ_RETRY}.
     */
    private void first() {
      Optional<Execution> found;
      try {
        found = store.find(executionId);
      } catch (RuntimeException e) {
        log.warn("relay could not read execution={} error={}", executionId, e.toString());
        schedule(this::first, READ_RETRY);
        return;
      }
      if (found.isEmpty() || found.get().status().callback().state() != CallbackState.PENDING) {
        if (found.isPresent() && stopsWhenCallerGone(found.get())) {
          // An earlier relay of this run found the caller gone (and a retried relay activity
          // starts here after it): the agent must still stop.
          stop = CALLER_GONE_STOP;
        }
        close();
        return;
      }
      execution = found.get();
      beat();
      scheduleEvery(interval(execution.spec().callerHeartbeatTimeout(), defaultInterval));
    }

    private String callerWorkflow() {
      return CallerIdentity.workflowIdOf(execution.spec().caller());
    }

    private String callerActivity() {
      return CallerIdentity.activityIdOf(execution.spec().caller());
    }

    /** The agent's latest progress, sent with the next heartbeat. */
    @Override
    public void progress(String value) {
      progress = value;
    }

    /** Set once the caller cancelled, or went away and the agent should not go on. */
    @Override
    public Optional<StopRequest> stopRequested() {
      return Optional.ofNullable(stop);
    }

    /** Stops the relay; its listener hears of the end, with the stop asked for if any. */
    @Override
    public void close() {
      if (stopBeating()) {
        listener.ended(stop);
      }
    }

    /** Stops the relay; returns false when it had already stopped. */
    private synchronized boolean stopBeating() {
      if (closed) {
        return false;
      }
      closed = true;
      if (future != null) {
        future.cancel(false);
      }
      return true;
    }

    private void beat() {
      try {
        beatOnce();
      } catch (RuntimeException e) {
        // A failing store or Temporal must not stop the schedule; the next beat tries again.
        log.warn("relay heartbeat error execution={} error={}", executionId, e.toString());
      }
      if (!isClosed() && !listener.wanted()) {
        stopBeating();
      }
    }

    private synchronized boolean isClosed() {
      return closed;
    }

    private void beatOnce() {
      Execution execution = this.execution;
      Optional<CallbackToken> token = store.callbackToken(executionId);
      if (token.isEmpty()) {
        close();
        return;
      }
      String namespace =
          execution.spec().caller() == null
              ? defaultNamespace
              : execution.spec().caller().namespace();
      HeartbeatAttempt attempt =
          delivery.heartbeat(
              namespace, token.get().bytes(), progress == null ? "running" : progress);
      observer.relayHeartbeat(
          attempt.cancelRequested()
              ? "cancel_requested"
              : switch (attempt.attempt().result()) {
                case DELIVERED -> "ok";
                case CALLER_GONE -> "not_found";
                case REJECTED, RETRYABLE -> "error";
              });
      if (attempt.cancelRequested()) {
        log.info(
            "caller cancelled execution={} callerWorkflow={} callerActivity={} token={}",
            execution.id(),
            callerWorkflow(),
            callerActivity(),
            token.get().fingerprint());
        stop = new StopRequest(ExecutionError.CALLER_CANCELLED, "the caller cancelled the call");
        close();
        return;
      }
      if (attempt.attempt().result() != DeliveryResult.CALLER_GONE) {
        goneFingerprint = null;
      }
      switch (attempt.attempt().result()) {
        case CALLER_GONE -> notFound(token.get(), attempt.attempt());
        case REJECTED -> {
          log.warn(
              "relay heartbeat rejected execution={} callerWorkflow={} callerActivity={} token={}"
                  + " error={}",
              execution.id(),
              callerWorkflow(),
              callerActivity(),
              token.get().fingerprint(),
              attempt.attempt().error());
          close();
        }
        case RETRYABLE ->
            log.warn(
                "relay heartbeat failed execution={} callerWorkflow={} callerActivity={} token={}"
                    + " error={}",
                execution.id(),
                callerWorkflow(),
                callerActivity(),
                token.get().fingerprint(),
                attempt.attempt().error());
        case DELIVERED -> {}
      }
    }

    private void notFound(CallbackToken token, DeliveryAttempt attempt) {
      if (!token.fingerprint().equals(goneFingerprint)) {
        goneFingerprint = token.fingerprint();
        goneSince = clock.instant();
      }
      if (Duration.between(goneSince, clock.instant()).compareTo(callerGoneGrace) >= 0) {
        callerGone(token, attempt);
      }
    }

    private void callerGone(CallbackToken token, DeliveryAttempt attempt) {
      Execution current = store.find(execution.id()).orElse(execution);
      store.updateCallback(
          execution.id(),
          new CallbackStatus(
              CallbackState.CALLER_GONE,
              current.status().callback().attempts(),
              attempt.error(),
              null,
              token.fingerprint()));
      boolean cancel = execution.spec().onCallerGone() == OnCallerGone.CANCEL;
      log.warn(
          "caller gone execution={} callerWorkflow={} callerActivity={} token={} agent={}",
          execution.id(),
          callerWorkflow(),
          callerActivity(),
          token.fingerprint(),
          cancel ? "stopping" : "continuing (on_caller_gone=continue)");
      if (cancel) {
        stop = CALLER_GONE_STOP;
      }
      close();
    }
  }
}
