package dev.baton.metrics;

import dev.baton.agent.AgentCatalogObserver;
import dev.baton.callback.CallbackObserver;
import dev.baton.callback.DeliveryAttempt;
import dev.baton.callback.DeliveryResult;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionObserver;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Baton's own metrics, in one place. Names as exported to Prometheus (see
 * docs/guides/operator-runbook.md): {@code baton_callback_deliveries_total}, {@code
 * baton_callback_delivery_duration_seconds}, {@code baton_handshake_latency_seconds}, {@code
 * baton_pending_callbacks}, {@code baton_callback_errors_total}, {@code
 * baton_relay_heartbeats_total}, {@code baton_agent_executions_total}, {@code
 * baton_agent_execution_duration_seconds}, {@code baton_executions_in_progress}, {@code
 * baton_executions_pending}, {@code baton_agents}, {@code baton_agent_files_refused}, {@code
 * baton_executions_deleted_total}.
 */
public final class BatonMetrics
    implements CallbackObserver, ExecutionObserver, AgentCatalogObserver {
  /** Age buckets of {@code baton_pending_callbacks}, upper bounds exclusive. */
  public enum AgeBucket {
    UP_TO_1H("0-1h", Duration.ofHours(1)),
    UP_TO_4H("1-4h", Duration.ofHours(4)),
    UP_TO_12H("4-12h", Duration.ofHours(12)),
    UP_TO_24H("12-24h", Duration.ofHours(24)),
    OVER_24H("24h+", null);

    private final String label;
    private final Duration below;

    AgeBucket(String label, Duration below) {
      this.label = label;
      this.below = below;
    }

    public String label() {
      return label;
    }

    public static AgeBucket of(Duration age) {
      for (AgeBucket bucket : values()) {
        if (bucket.below == null || age.compareTo(bucket.below) < 0) {
          return bucket;
        }
      }
      return OVER_24H;
    }
  }

  /**
   * Buckets of {@code baton_callback_delivery_duration_seconds}: one completion RPC, bounded by
   * {@code --delivery-timeout} (10 s by default). 0.5 s is the threshold of {@code
   * BatonCallbackDeliverySlow}, so it is a bucket boundary.
   */
  static final Duration[] DELIVERY_BUCKETS =
      seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);

  /**
   * Buckets of {@code baton_handshake_latency_seconds}: milliseconds when the first completion RPC
   * delivers, up to a day when deliveries are retried (the retry window is 24 h by default).
   */
  static final Duration[] HANDSHAKE_BUCKETS =
      seconds(
          0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
          3600, 4 * 3600, 24 * 3600);

  /**
   * Buckets of {@code baton_agent_execution_duration_seconds}, per agent: from an agent that
   * answers at once to the longest deadline an agent may have (7 days).
   */
  static final Duration[] AGENT_BUCKETS =
      seconds(
          0.01,
          0.05,
          0.1,
          0.25,
          0.5,
          1,
          2.5,
          5,
          10,
          30,
          60,
          120,
          300,
          600,
          1800,
          3600,
          2 * 3600,
          4 * 3600,
          12 * 3600,
          24 * 3600,
          7 * 24 * 3600);

  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicLong inProgress = new AtomicLong();
  private final Map<AgeBucket, AtomicLong> pending = new EnumMap<>(AgeBucket.class);
  private final Map<String, AtomicLong> pendingByAgent = new ConcurrentHashMap<>();
  private final AtomicLong agents = new AtomicLong();
  private final AtomicLong agentFilesRefused = new AtomicLong();
  private final Counter executionsDeleted;

  public BatonMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    Gauge.builder("baton.executions.in.progress", inProgress, AtomicLong::get)
        .description("Executions whose agent is running")
        .register(registry);
    for (AgeBucket bucket : AgeBucket.values()) {
      AtomicLong value = new AtomicLong();
      pending.put(bucket, value);
      Gauge.builder("baton.pending.callbacks", value, AtomicLong::get)
          .description("Callbacks not yet delivered, by time since the execution was created")
          .tag("age_bucket", bucket.label())
          .register(registry);
    }
    // Registered at start, so that a rate over it reads 0 rather than nothing before a deletion.
    executionsDeleted =
        Counter.builder("baton.executions.deleted")
            .description("Ended executions deleted from the store after the retention period")
            .register(registry);
    Gauge.builder("baton.agents", agents, AtomicLong::get)
        .description("Agents this server serves")
        .register(registry);
    Gauge.builder("baton.agent.files.refused", agentFilesRefused, AtomicLong::get)
        .description(
            "1 while the agent files as they are now have problems and the agents loaded before"
                + " are still served, else 0")
        .register(registry);
  }

  /** Executions the retention deleted from the store. */
  public void executionsDeleted(int count) {
    executionsDeleted.increment(count);
  }

  @Override
  public void agentsLoaded(int count) {
    agents.set(count);
  }

  @Override
  public void agentFilesRefused(boolean refused) {
    agentFilesRefused.set(refused ? 1 : 0);
  }

  /** Metrics that go nowhere, for tests and tools. */
  public static BatonMetrics noop() {
    return new BatonMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One completion RPC: its outcome, duration and, if delivered, the handshake latency. */
  @Override
  public void delivery(Execution execution, DeliveryAttempt attempt, Duration rpc) {
    ExecutionPhase phase = execution.phase();
    Instant ended = execution.status().endTime();
    Duration sinceAgentEnded = ended == null ? null : Duration.between(ended, clock.instant());
    Counter.builder("baton.callback.deliveries")
        .description("Completion RPCs to callers' activities")
        .tag("outcome", outcome(phase))
        .tag("result", result(attempt.result()))
        .register(registry)
        .increment();
    Timer.builder("baton.callback.delivery.duration")
        .description("Duration of one completion RPC")
        .serviceLevelObjectives(DELIVERY_BUCKETS)
        .register(registry)
        .record(rpc);
    if (attempt.errorKind() != null) {
      callbackError(attempt);
    }
    if (attempt.result() == DeliveryResult.DELIVERED && sinceAgentEnded != null) {
      Timer.builder("baton.handshake.latency")
          .description("From the agent's end to the caller's activity being completed")
          .serviceLevelObjectives(HANDSHAKE_BUCKETS)
          .register(registry)
          .record(sinceAgentEnded);
    }
  }

  /** One relay heartbeat to a caller: ok, cancel_requested, not_found or error. */
  @Override
  public void relayHeartbeat(String result) {
    Counter.builder("baton.relay.heartbeats")
        .description("Heartbeats relayed to callers' activities while agents run")
        .tag("result", result)
        .register(registry)
        .increment();
  }

  /** An agent run ended. */
  @Override
  public void finished(Execution execution) {
    String agent = execution.spec().agent();
    ExecutionPhase phase = execution.phase();
    Instant start = execution.status().startTime();
    Instant end = execution.status().endTime();
    Duration duration = start == null || end == null ? null : Duration.between(start, end);
    Counter.builder("baton.agent.executions")
        .description("Executions that ended, by agent and phase")
        .tag("agent", agent)
        .tag("phase", phase.name())
        .register(registry)
        .increment();
    if (duration != null) {
      Timer.builder("baton.agent.execution.duration")
          .description("Agent run time, from start to end")
          .tag("agent", agent)
          .serviceLevelObjectives(AGENT_BUCKETS)
          .register(registry)
          .record(duration);
    }
  }

  /** Refreshes the gauges that come from the store (right across restarts and servers). */
  public void storeStats(ExecutionStats stats, Instant now) {
    inProgress.set(stats.inProgress());
    Map<AgeBucket, Long> counts = new EnumMap<>(AgeBucket.class);
    for (Instant created : stats.pendingCallbackCreateTimes()) {
      counts.merge(AgeBucket.of(Duration.between(created, now)), 1L, Long::sum);
    }
    pending.forEach((bucket, value) -> value.set(counts.getOrDefault(bucket, 0L)));
    stats.pendingByAgent().keySet().forEach(this::pendingGauge);
    pendingByAgent.forEach(
        (agent, value) -> value.set(stats.pendingByAgent().getOrDefault(agent, 0L)));
  }

  /** The gauge of one agent's PENDING executions, registered when the agent first has one. */
  private AtomicLong pendingGauge(String agent) {
    return pendingByAgent.computeIfAbsent(
        agent,
        name -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder("baton.executions.pending", value, AtomicLong::get)
              .description(
                  "Executions not started yet, by agent: waiting for a slot of an agent with"
                      + " maxConcurrent, or about to start")
              .tag("agent", name)
              .register(registry);
          return value;
        });
  }

  private void callbackError(DeliveryAttempt attempt) {
    Counter.builder("baton.callback.errors")
        .description("Failed completion RPCs, by error type")
        .tag("error_type", attempt.errorKind().name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  private static Duration[] seconds(double... bounds) {
    return Arrays.stream(bounds)
        .mapToObj(bound -> Duration.ofNanos(Math.round(bound * 1e9)))
        .toArray(Duration[]::new);
  }

  private static String outcome(ExecutionPhase phase) {
    return switch (phase) {
      case COMPLETED -> "success";
      case CANCELLED -> "cancelled";
      default -> "failure";
    };
  }

  private static String result(DeliveryResult result) {
    return switch (result) {
      case DELIVERED -> "delivered";
      case CALLER_GONE -> "caller_gone";
      case REJECTED, RETRYABLE -> "error";
    };
  }
}
