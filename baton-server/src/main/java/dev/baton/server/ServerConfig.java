package dev.baton.server;

import dev.baton.execution.ExecutionLimits;
import dev.baton.execution.ExecutionWorkflowOptions;
import dev.baton.server.auth.AuthSettings;
import dev.baton.server.limits.ServerLimits;
import dev.baton.server.temporal.TemporalSecurity;
import dev.baton.server.tls.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code baton server} can be told. Immutable; build with {@link #builder(Path)}.
 *
 * <p>Defaults (each also settable by flag and environment variable, see the CLI):
 *
 * <ul>
 *   <li>gRPC on {@code 127.0.0.1:7234}
 *   <li>database {@code jdbc:sqlite:<home>/baton.db}
 *   <li>agents from {@code <home>/agents}
 *   <li>no Temporal address: Temporal's test server runs in-process, reachable by caller workers on
 *       {@code 127.0.0.1:7233}
 *   <li>namespace {@code default}
 * </ul>
 *
 * @param temporalAddress host:port of an external Temporal frontend, or {@code null} to embed one
 * @param embeddedTemporalPort loopback port of the embedded Temporal; 0 picks a free one
 * @param outputLimitBytes agent output beyond this is delivered to callers truncated
 * @param relayInterval how often callers without a heartbeat timeout are heartbeated while their
 *     agent runs (default 10 s); callers with one are heartbeated at a third of it
 * @param callerGoneGrace how long a caller's token must stay NOT_FOUND before its agent is stopped
 *     (default 60 s), so a retried caller attempt in backoff finds its agent running
 * @param reconcileInterval how often executions are checked against their workflows (30 s)
 * @param retention how long an ended execution whose callback is settled is kept after its last
 *     change (default 30 days); zero keeps every execution
 * @param agentsReloadInterval how often the agent files are checked for changes, which load without
 *     a restart (default 5 s); zero checks only on request ({@link BatonServer#reloadAgents})
 * @param metricsPort port of /metrics, /healthz and /readyz on the gRPC host (default 9464; 0 picks
 *     a free one)
 * @param agentSlots how many agents this server runs at once (default 200); more executions wait in
 *     Temporal's task queue until a slot frees. Each running built-in agent holds a thread (and a
 *     command agent a process), so size it to the agents' cost
 * @param eagerStart whether Create starts an agent at once, before Temporal dispatches its agent
 *     activity (ADR 0002, {@link dev.baton.execution.EagerRuns}); for built-in runners of agents
 *     without {@code maxConcurrent}, up to {@code agentSlots} at once (default on)
 * @param eagerWorkflowDelay how long an eagerly started agent runs before its execution workflow
 *     starts (ADR 0003, default 5 s): an agent whose end is recorded and delivered sooner never
 *     starts one. Zero starts it in Create, which then answers once it started (and fails when
 *     Temporal cannot be reached). At most {@link #MAX_EAGER_WORKFLOW_DELAY}
 * @param auth how gRPC calls are authenticated (default none, which allows loopback hosts only)
 * @param secretsFile file of {@code NAME=value} lines that {@code ${secret:NAME}} references in
 *     agent settings resolve against after the server's environment, or {@code null} for none
 * @param tokenKeyFile file of {@code keyId:base64-key} lines that callback tokens are encrypted
 *     with (the first encrypts, all decrypt), or {@code null}
 * @param tokenKeys the same lines given inline (separated by newlines, commas or spaces), used when
 *     there is no key file, or {@code null}; with neither, {@code <home>/token-keys} is created
 *     (0600) on first start and reused
 * @param payloadEncryption whether Temporal payloads are encrypted (default off)
 * @param tls TLS of the gRPC API (default plaintext), optionally requiring client certificates
 * @param temporalSecurity TLS and credentials towards an external Temporal (default plaintext);
 *     must stay plaintext with the embedded one
 * @param serverLimits per-caller request rate and Watch streams, per-agent concurrency (default:
 *     {@link ServerLimits#defaults()})
 */
public record ServerConfig(
    String host,
    int port,
    Path home,
    String databaseUrl,
    Path agentsPath,
    String temporalAddress,
    String temporalNamespace,
    int embeddedTemporalPort,
    ExecutionWorkflowOptions workflowOptions,
    ExecutionLimits limits,
    int outputLimitBytes,
    Duration watchPollInterval,
    Duration relayInterval,
    Duration callerGoneGrace,
    Duration reconcileInterval,
    Duration agentsReloadInterval,
    Duration retention,
    int metricsPort,
    int agentSlots,
    boolean eagerStart,
    Duration eagerWorkflowDelay,
    AuthSettings auth,
    Path secretsFile,
    Path tokenKeyFile,
    String tokenKeys,
    ServerTls tls,
    TemporalSecurity temporalSecurity,
    PayloadEncryption payloadEncryption,
    ServerLimits serverLimits) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7234;
  public static final int DEFAULT_EMBEDDED_TEMPORAL_PORT = 7233;
  public static final String DEFAULT_NAMESPACE = "default";
  public static final int DEFAULT_METRICS_PORT = 9464;
  public static final int DEFAULT_AGENT_SLOTS = 200;
  public static final boolean DEFAULT_EAGER_START = true;
  public static final Duration DEFAULT_EAGER_WORKFLOW_DELAY = Duration.ofSeconds(5);
  public static final Duration DEFAULT_AGENTS_RELOAD_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /**
   * The longest workflow delay: beyond the reconciler's settle time the reconciler would start a
   * deferred run's workflow anyway.
   */
  public static final Duration MAX_EAGER_WORKFLOW_DELAY =
      dev.baton.execution.ExecutionReconciler.SETTLE_TIME;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(agentsPath, "agentsPath");
    Objects.requireNonNull(temporalNamespace, "temporalNamespace");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(payloadEncryption, "payloadEncryption");
    if (outputLimitBytes < 0) {
      // a negative limit failed every delivery (StringIndexOutOfBoundsException) at run time
      throw new IllegalArgumentException(
          "outputLimitBytes must be 0 or more, got " + outputLimitBytes);
    }
    if (agentSlots < 1) {
      throw new IllegalArgumentException("agentSlots must be at least 1, got " + agentSlots);
    }
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention must not be negative, got " + retention);
    }
    Objects.requireNonNull(agentsReloadInterval, "agentsReloadInterval");
    if (agentsReloadInterval.isNegative()) {
      throw new IllegalArgumentException(
          "agentsReloadInterval must not be negative, got " + agentsReloadInterval);
    }
    Objects.requireNonNull(eagerWorkflowDelay, "eagerWorkflowDelay");
    if (eagerWorkflowDelay.isNegative()
        || eagerWorkflowDelay.compareTo(MAX_EAGER_WORKFLOW_DELAY) > 0) {
      throw new IllegalArgumentException(
          "eagerWorkflowDelay must be from 0s to "
              + MAX_EAGER_WORKFLOW_DELAY.toSeconds()
              + "s, got "
              + eagerWorkflowDelay);
    }
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(temporalSecurity, "temporalSecurity");
    temporalSecurity.checkUsableWith(temporalAddress);
    Objects.requireNonNull(serverLimits, "serverLimits");
  }

  public boolean embeddedTemporal() {
    return temporalAddress == null;
  }

  public static Builder builder(Path home) {
    return new Builder(home);
  }

  /** Builds a {@link ServerConfig}; every setter is optional. */
  public static final class Builder {
    private final Path home;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String databaseUrl;
    private Path agentsPath;
    private String temporalAddress;
    private String temporalNamespace = DEFAULT_NAMESPACE;
    private int embeddedTemporalPort = DEFAULT_EMBEDDED_TEMPORAL_PORT;
    private ExecutionWorkflowOptions workflowOptions = ExecutionWorkflowOptions.defaults();
    private ExecutionLimits limits = ExecutionLimits.defaults();
    private int outputLimitBytes = dev.baton.callback.CallbackSettings.DEFAULT_OUTPUT_LIMIT_BYTES;
    private Duration watchPollInterval = Duration.ofSeconds(1);
    private Duration relayInterval = Duration.ofSeconds(10);
    private Duration callerGoneGrace = Duration.ofSeconds(60);
    private Duration reconcileInterval = Duration.ofSeconds(30);
    private Duration agentsReloadInterval = DEFAULT_AGENTS_RELOAD_INTERVAL;
    private Duration retention = DEFAULT_RETENTION;
    private int metricsPort = 0;
    private int agentSlots = DEFAULT_AGENT_SLOTS;
    private boolean eagerStart = DEFAULT_EAGER_START;
    private Duration eagerWorkflowDelay = DEFAULT_EAGER_WORKFLOW_DELAY;
    private AuthSettings auth = AuthSettings.none();
    private Path secretsFile;
    private Path tokenKeyFile;
    private String tokenKeys;
    private ServerTls tls = ServerTls.plaintext();
    private TemporalSecurity temporalSecurity = TemporalSecurity.plaintext();
    private PayloadEncryption payloadEncryption = PayloadEncryption.off();
    private ServerLimits serverLimits = ServerLimits.defaults();

    private Builder(Path home) {
      this.home = Objects.requireNonNull(home, "home");
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      databaseUrl = value;
      return this;
    }

    public Builder agentsPath(Path value) {
      agentsPath = value;
      return this;
    }

    public Builder temporalAddress(String value) {
      temporalAddress = value;
      return this;
    }

    public Builder temporalNamespace(String value) {
      temporalNamespace = value;
      return this;
    }

    public Builder embeddedTemporalPort(int value) {
      embeddedTemporalPort = value;
      return this;
    }

    public Builder workflowOptions(ExecutionWorkflowOptions value) {
      workflowOptions = value;
      return this;
    }

    public Builder limits(ExecutionLimits value) {
      limits = value;
      return this;
    }

    public Builder outputLimitBytes(int value) {
      outputLimitBytes = value;
      return this;
    }

    public Builder watchPollInterval(Duration value) {
      watchPollInterval = value;
      return this;
    }

    public Builder relayInterval(Duration value) {
      relayInterval = value;
      return this;
    }

    public Builder callerGoneGrace(Duration value) {
      callerGoneGrace = value;
      return this;
    }

    public Builder retention(Duration value) {
      retention = value;
      return this;
    }

    public Builder agentsReloadInterval(Duration value) {
      agentsReloadInterval = value;
      return this;
    }

    public Builder reconcileInterval(Duration value) {
      reconcileInterval = value;
      return this;
    }

    public Builder metricsPort(int value) {
      metricsPort = value;
      return this;
    }

    public Builder agentSlots(int value) {
      agentSlots = value;
      return this;
    }

    public Builder eagerStart(boolean value) {
      eagerStart = value;
      return this;
    }

    public Builder eagerWorkflowDelay(Duration value) {
      eagerWorkflowDelay = value;
      return this;
    }

    public Builder auth(AuthSettings value) {
      auth = value;
      return this;
    }

    public Builder secretsFile(Path value) {
      secretsFile = value;
      return this;
    }

    public Builder tokenKeyFile(Path value) {
      tokenKeyFile = value;
      return this;
    }

    public Builder tokenKeys(String value) {
      tokenKeys = value;
      return this;
    }

    public Builder tls(ServerTls value) {
      tls = value;
      return this;
    }

    public Builder temporalSecurity(TemporalSecurity value) {
      temporalSecurity = value;
      return this;
    }

    public Builder payloadEncryption(PayloadEncryption value) {
      payloadEncryption = value;
      return this;
    }

    public Builder serverLimits(ServerLimits value) {
      serverLimits = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host,
          port,
          home,
          databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + home.resolve("baton.db"),
          agentsPath != null ? agentsPath : home.resolve("agents"),
          temporalAddress,
          temporalNamespace,
          embeddedTemporalPort,
          workflowOptions,
          limits,
          outputLimitBytes,
          watchPollInterval,
          relayInterval,
          callerGoneGrace,
          reconcileInterval,
          agentsReloadInterval,
          retention,
          metricsPort,
          agentSlots,
          eagerStart,
          eagerWorkflowDelay,
          auth,
          secretsFile,
          tokenKeyFile,
          tokenKeys,
          tls,
          temporalSecurity,
          payloadEncryption,
          serverLimits);
    }
  }
}
