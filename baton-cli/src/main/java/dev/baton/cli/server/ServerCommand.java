package dev.baton.cli.server;

import dev.baton.agent.AgentCatalogException;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.client.DurationConverter;
import dev.baton.cli.client.HostPort;
import dev.baton.cli.output.Durations;
import dev.baton.execution.ExecutionLimits;
import dev.baton.execution.ExecutionWorkflowOptions;
import dev.baton.server.BatonServer;
import dev.baton.server.PayloadEncryption;
import dev.baton.server.ServerConfig;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthMode;
import dev.baton.server.auth.AuthSettings;
import dev.baton.server.limits.ServerLimits;
import dev.baton.server.temporal.TemporalSecurity;
import dev.baton.server.tls.ServerTls;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code baton server}: runs the gRPC API, the Temporal workers and the store until stopped. */
@Command(
    name = "server",
    description = {
      "Runs the Baton server until stopped (Ctrl-C or SIGTERM).",
      "With no flags everything is embedded: Temporal's test server in-process (reachable by"
          + " caller workers on 127.0.0.1:7233) and SQLite under $BATON_HOME.",
      "Every option can also be set by the environment variable shown.",
      "Logs go to stderr: BATON_LOG_FORMAT=json writes one JSON object per line (default text);"
          + " BATON_LOG_LEVEL sets Baton's level (default INFO)."
    })
public final class ServerCommand implements Callable<Integer> {

  /** gRPC's default limit on a request, which a larger message could not get past anyway. */
  static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  @Spec CommandSpec spec;

  @Mixin LimitOptions limitOptions = new LimitOptions();

  @Option(
      names = "--listen",
      defaultValue = "${env:BATON_LISTEN:-127.0.0.1:7234}",
      converter = HostPort.Listen.class,
      description = "gRPC address, HOST:PORT (env BATON_LISTEN; default ${DEFAULT-VALUE}).")
  HostPort listen;

  @Option(
      names = "--home",
      defaultValue = "${env:BATON_HOME:-${sys:user.home}/.baton}",
      description = "Data directory (env BATON_HOME; default ${DEFAULT-VALUE}).")
  Path home;

  @Option(
      names = "--database-url",
      defaultValue = "${env:BATON_DATABASE_URL}",
      description =
          "jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB?user=..&password=.."
              + " (env BATON_DATABASE_URL; default jdbc:sqlite:$BATON_HOME/baton.db).")
  String databaseUrl;

  @Option(
      names = "--agents",
      defaultValue = "${env:BATON_AGENTS}",
      description = "Agent YAML file or directory (env BATON_AGENTS; default $BATON_HOME/agents).")
  Path agents;

  @Option(
      names = "--agents-reload-interval",
      defaultValue = "${env:BATON_AGENTS_RELOAD_INTERVAL:-5s}",
      converter = DurationConverter.OrZero.class,
      description =
          "How often the agent files are checked for changes, which load without a restart (files"
              + " with a problem are logged and the agents loaded before stay); 0s: only on SIGHUP"
              + " (env BATON_AGENTS_RELOAD_INTERVAL; default ${DEFAULT-VALUE}).")
  Duration agentsReloadInterval;

  @Option(
      names = "--temporal-address",
      defaultValue = "${env:BATON_TEMPORAL_ADDRESS}",
      description =
          "HOST:PORT of a Temporal frontend; embedded when unset (env BATON_TEMPORAL_ADDRESS).")
  String temporalAddress;

  @Option(
      names = "--temporal-namespace",
      defaultValue = "${env:BATON_TEMPORAL_NAMESPACE:-default}",
      description = "Temporal namespace (env BATON_TEMPORAL_NAMESPACE; default ${DEFAULT-VALUE}).")
  String temporalNamespace;

  @Option(
      names = "--embedded-temporal-port",
      defaultValue = "${env:BATON_EMBEDDED_TEMPORAL_PORT:-7233}",
      description =
          "Loopback port of the embedded Temporal, 0 for any free port"
              + " (env BATON_EMBEDDED_TEMPORAL_PORT; default ${DEFAULT-VALUE}).")
  int embeddedTemporalPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "${env:BATON_METRICS_PORT:-9464}",
      description =
          "Port of /metrics (Prometheus), /healthz and /readyz on the --listen host"
              + " (env BATON_METRICS_PORT; default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--agent-slots",
      defaultValue = "${env:BATON_AGENT_SLOTS:-200}",
      description =
          "How many agents this server runs at once; more executions wait in Temporal's task"
              + " queue until a slot frees (env BATON_AGENT_SLOTS; default ${DEFAULT-VALUE}).")
  int agentSlots;

  @Option(
      names = "--eager-start",
      negatable = true,
      defaultValue = "${env:BATON_EAGER_START:-true}",
      fallbackValue = "true",
      description =
          "Start a built-in agent without maxConcurrent in Create itself, before its execution"
              + " workflow starts (see --eager-workflow-delay), instead of when Temporal"
              + " dispatches its agent activity (env BATON_EAGER_START; default"
              + " ${DEFAULT-VALUE}).")
  boolean eagerStart;

  @Option(
      names = "--eager-workflow-delay",
      defaultValue = "${env:BATON_EAGER_WORKFLOW_DELAY:-5s}",
      converter = DurationConverter.OrZero.class,
      description =
          "How long an eagerly started agent runs before its execution workflow starts; an agent"
              + " that ends and is delivered sooner never needs one. 0s starts it in Create, which"
              + " then fails when Temporal is unreachable. At most 10s (env"
              + " BATON_EAGER_WORKFLOW_DELAY; default ${DEFAULT-VALUE}).")
  Duration eagerWorkflowDelay;

  @Option(
      names = "--max-message-bytes",
      defaultValue = "${env:BATON_MAX_MESSAGE_BYTES:-1048576}",
      description =
          "Largest accepted message, 1 to 4194304 (gRPC's request limit) bytes"
              + " (env BATON_MAX_MESSAGE_BYTES; default ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(
      names = "--callback-output-limit",
      defaultValue = "${env:BATON_CALLBACK_OUTPUT_LIMIT:-524288}",
      description =
          "Output bytes delivered to callers; longer output is truncated in the callback and kept"
              + " whole in the store; 0 or more (env BATON_CALLBACK_OUTPUT_LIMIT; default"
              + " ${DEFAULT-VALUE}).")
  int callbackOutputLimit;

  @Option(
      names = "--delivery-timeout",
      defaultValue = "${env:BATON_DELIVERY_TIMEOUT:-10s}",
      converter = DurationConverter.class,
      description =
          "Deadline of one completion RPC (env BATON_DELIVERY_TIMEOUT; default ${DEFAULT-VALUE}).")
  Duration deliveryTimeout;

  @Option(
      names = "--delivery-retry-window",
      defaultValue = "${env:BATON_DELIVERY_RETRY_WINDOW:-24h}",
      converter = DurationConverter.class,
      description =
          "How long transient delivery errors are retried (env BATON_DELIVERY_RETRY_WINDOW;"
              + " default ${DEFAULT-VALUE}).")
  Duration deliveryRetryWindow;

  @Option(
      names = "--reconcile-interval",
      defaultValue = "${env:BATON_RECONCILE_INTERVAL:-30s}",
      converter = DurationConverter.class,
      description =
          "How often executions are checked against their workflows; lost ones are failed and"
              + " their callers told (env BATON_RECONCILE_INTERVAL; default ${DEFAULT-VALUE}).")
  Duration reconcileInterval;

  @Option(
      names = "--retention",
      defaultValue = "${env:BATON_RETENTION:-30d}",
      converter = DurationConverter.OrZero.class,
      description =
          "How long an ended execution whose callback is settled is kept after its last change;"
              + " older ones are deleted with their events. 0s keeps every execution (env"
              + " BATON_RETENTION; default ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(
      names = "--auth",
      paramLabel = "MODE",
      defaultValue = "${env:BATON_AUTH:-none}",
      description =
          "none or api-key: with api-key every call but health checks needs"
              + " `authorization: Bearer <key>` (env BATON_AUTH; default ${DEFAULT-VALUE}).")
  String auth;

  @Option(
      names = "--api-keys-file",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_API_KEYS_FILE}",
      description =
          "API keys, one name:scope:sha256hex per line, scope read, write or admin"
              + " (env BATON_API_KEYS_FILE; `baton api-key create` prints a line).")
  Path apiKeysFile;

  @Option(
      names = "--api-keys",
      paramLabel = "ENTRIES",
      defaultValue = "${env:BATON_API_KEYS}",
      description = "More API keys, comma-separated name:scope:sha256hex (env BATON_API_KEYS).")
  String apiKeys;

  @Option(
      names = "--insecure",
      defaultValue = "${env:BATON_INSECURE:-false}",
      description =
          "Allow --auth none on a non-loopback --listen address, for trusted networks only"
              + " (env BATON_INSECURE).")
  boolean insecure;

  @Option(
      names = "--secrets-file",
      defaultValue = "${env:BATON_SECRETS_FILE}",
      description =
          "File of NAME=value lines for $${secret:NAME} references in agent settings, looked up"
              + " after BATON_SECRET_NAME and NAME in the environment (env BATON_SECRETS_FILE).")
  Path secretsFile;

  @Option(
      names = "--token-key-file",
      defaultValue = "${env:BATON_TOKEN_KEY_FILE}",
      description =
          "File of keyId:base64-256-bit-key lines that callback tokens are encrypted with at rest;"
              + " the first encrypts, all decrypt (env BATON_TOKEN_KEY_FILE; else the keys in"
              + " env BATON_TOKEN_KEYS; else $BATON_HOME/token-keys, created 0600 on first start).")
  Path tokenKeyFile;

  @Option(
      names = "--payload-key-file",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_PAYLOAD_KEY_FILE}",
      description =
          "File of keyId:base64-256-bit-key lines that Temporal payloads of Baton's workflows are"
              + " encrypted with (AES-256-GCM); the first encrypts, all decrypt"
              + " (env BATON_PAYLOAD_KEY_FILE; else the keys in env BATON_PAYLOAD_KEYS; else"
              + " payloads are not encrypted).")
  Path payloadKeyFile;

  @Option(
      names = "--encrypt-caller-results",
      defaultValue = "${env:BATON_ENCRYPT_CALLER_RESULTS:-false}",
      description =
          "Encrypt the results, failures and progress Baton sends to callers' activities with the"
              + " payload keys too; callers then need BatonPayloadCodec and the keys on their"
              + " Temporal client (env BATON_ENCRYPT_CALLER_RESULTS).")
  boolean encryptCallerResults;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_CERT}",
      description =
          "PEM certificate chain of the gRPC API, leaf first; with --tls-key the API serves TLS"
              + " (env BATON_TLS_CERT; default plaintext). /metrics stays plain HTTP.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_KEY}",
      description = "Unencrypted PKCS#8 PEM private key of --tls-cert (env BATON_TLS_KEY).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_CLIENT_CA}",
      description =
          "PEM CA certificates: every client must present a certificate signed by one of them"
              + " (mutual TLS; env BATON_TLS_CLIENT_CA).")
  Path tlsClientCa;

  @Option(
      names = "--temporal-tls",
      defaultValue = "${env:BATON_TEMPORAL_TLS:-false}",
      description =
          "Connect to --temporal-address over TLS, trusting the system's CAs"
              + " (env BATON_TEMPORAL_TLS; implied by the other --temporal-tls-* options and"
              + " --temporal-api-key).")
  boolean temporalTls;

  @Option(
      names = "--temporal-tls-ca",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TEMPORAL_TLS_CA}",
      description =
          "PEM CA certificates to trust for Temporal instead of the system's"
              + " (env BATON_TEMPORAL_TLS_CA).")
  Path temporalTlsCa;

  @Option(
      names = "--temporal-tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TEMPORAL_TLS_CERT}",
      description =
          "PEM client certificate for Temporal (mutual TLS, e.g. Temporal Cloud)"
              + " (env BATON_TEMPORAL_TLS_CERT).")
  Path temporalTlsCert;

  @Option(
      names = "--temporal-tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TEMPORAL_TLS_KEY}",
      description =
          "Unencrypted PKCS#8 PEM private key of --temporal-tls-cert (env BATON_TEMPORAL_TLS_KEY).")
  Path temporalTlsKey;

  @Option(
      names = "--temporal-tls-server-name",
      paramLabel = "NAME",
      defaultValue = "${env:BATON_TEMPORAL_TLS_SERVER_NAME}",
      description =
          "Name Temporal's certificate is checked against instead of the host of"
              + " --temporal-address (env BATON_TEMPORAL_TLS_SERVER_NAME).")
  String temporalTlsServerName;

  @Option(
      names = "--temporal-api-key",
      paramLabel = "KEY",
      defaultValue = "${env:BATON_TEMPORAL_API_KEY}",
      description =
          "Temporal Cloud API key, sent on every call to Temporal; implies TLS (env"
              + " BATON_TEMPORAL_API_KEY; prefer the variable: options show in the process list).")
  String temporalApiKey;

  @Override
  public Integer call() throws InterruptedException {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      // Flags that do not go together, e.g. --temporal-tls without --temporal-address.
      throw usageError(e.getMessage());
    }
    BatonServer server;
    try {
      server = BatonServer.start(config);
    } catch (IllegalArgumentException
        | IllegalStateException
        | UncheckedIOException
        | AgentCatalogException e) {
      // What a user can fix (a flag, a file, a port in use, a database down): one line saying
      // what and how, not a stack trace.
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    ReloadSignal.install(server::reloadAgents);
    CountDownLatch stopped = new CountDownLatch(1);
    // Closed by the hook so Ctrl-C and SIGTERM stop the workers and the store cleanly.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "baton-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The configuration the flags describe.
   *
   * @throws ParameterException naming the flag when a value is out of its range, for picocli to
   *     report as a usage error
   */
  ServerConfig config() {
    HostPort address = listen;
    requireOwnPorts(address.port());
    ExecutionWorkflowOptions defaults = ExecutionWorkflowOptions.defaults();
    ExecutionLimits limits = ExecutionLimits.defaults();
    return ServerConfig.builder(home)
        .host(address.host())
        .port(address.port())
        .databaseUrl(blankToNull(databaseUrl))
        .agentsPath(existingAgents())
        .agentsReloadInterval(agentsReloadInterval)
        .temporalAddress(blankToNull(temporalAddress))
        .temporalNamespace(temporalNamespace)
        .embeddedTemporalPort(requirePort("--embedded-temporal-port", embeddedTemporalPort))
        .metricsPort(requirePort("--metrics-port", metricsPort))
        .agentSlots(requirePositive("--agent-slots", agentSlots))
        .eagerStart(eagerStart)
        .eagerWorkflowDelay(requireWithin("--eager-workflow-delay", eagerWorkflowDelay))
        .limits(
            new ExecutionLimits(
                requireMessageBytes(),
                limits.maxTokenBytes(),
                limits.maxTimeout(),
                limits.maxLabels()))
        .outputLimitBytes(requireCallbackOutputLimit())
        .workflowOptions(
            new ExecutionWorkflowOptions(
                defaults.agentHeartbeatTimeout(),
                defaults.agentDeadlineGrace(),
                defaults.agentMaxAttempts(),
                deliveryTimeout,
                deliveryRetryWindow))
        .reconcileInterval(reconcileInterval)
        .retention(retention)
        .auth(authSettings())
        .secretsFile(secretsFile)
        .tokenKeyFile(tokenKeyFile)
        // Keys only by environment, never by flag: a command line is visible to every user.
        .tokenKeys(System.getenv("BATON_TOKEN_KEYS"))
        .tls(new ServerTls(tlsCert, tlsKey, tlsClientCa))
        .temporalSecurity(
            new TemporalSecurity(
                temporalTls,
                temporalTlsCa,
                temporalTlsCert,
                temporalTlsKey,
                temporalTlsServerName,
                temporalApiKey))
        .payloadEncryption(
            new PayloadEncryption(
                payloadKeyFile,
                System.getenv(PayloadEncryption.KEYS_VARIABLE),
                encryptCallerResults))
        .serverLimits(serverLimits())
        .build();
  }

  private AuthSettings authSettings() {
    AuthMode mode;
    try {
      mode = AuthMode.parse(auth);
    } catch (IllegalArgumentException e) {
      throw usageError("--auth must be none or api-key, got '" + auth + "'");
    }
    ApiKeys keys = ApiKeys.load(apiKeysFile, blankToNull(apiKeys));
    if (mode == AuthMode.NONE && !keys.isEmpty()) {
      throw usageError(
          "API keys are configured but --auth is none, so they would not be checked; pass"
              + " --auth api-key (or BATON_AUTH=api-key)");
    }
    return new AuthSettings(mode, keys, insecure);
  }

  /** The agents path if given and there; not given, the server reads $BATON_HOME/agents if any. */
  private Path existingAgents() {
    if (agents != null && !Files.exists(agents)) {
      throw usageError(
          "--agents "
              + agents
              + " does not exist; expected an agent YAML file or a directory of them"
              + " (leave --agents and BATON_AGENTS unset to read $BATON_HOME/agents if present)");
    }
    return agents;
  }

  private int requireMessageBytes() {
    if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES) {
      throw usageError(
          "--max-message-bytes must be from 1 to "
              + MAX_MESSAGE_BYTES
              + " (gRPC's request limit), got "
              + maxMessageBytes);
    }
    return maxMessageBytes;
  }

  private int requireCallbackOutputLimit() {
    if (callbackOutputLimit < 0) {
      throw usageError(
          "--callback-output-limit must be 0 or more bytes (0 delivers no output, the store keeps"
              + " it), got "
              + callbackOutputLimit);
    }
    return callbackOutputLimit;
  }

  private ServerLimits serverLimits() {
    try {
      return limitOptions.toServerLimits();
    } catch (IllegalArgumentException e) {
      // The messages name the flag and what it takes.
      throw usageError(e.getMessage());
    }
  }

  /**
   * The gRPC, metrics and embedded Temporal ports must differ (0, any free port, excepted): else
   * the second to bind fails as if something else held the port.
   */
  private void requireOwnPorts(int listenPort) {
    boolean embedded = blankToNull(temporalAddress) == null;
    if (embedded && embeddedTemporalPort != 0 && embeddedTemporalPort == listenPort) {
      throw usageError(samePort("--embedded-temporal-port", embeddedTemporalPort, "--listen"));
    }
    if (metricsPort != 0 && metricsPort == listenPort) {
      throw usageError(samePort("--metrics-port", metricsPort, "--listen"));
    }
    if (embedded && metricsPort != 0 && metricsPort == embeddedTemporalPort) {
      throw usageError(samePort("--metrics-port", metricsPort, "--embedded-temporal-port"));
    }
  }

  private static String samePort(String option, int port, String other) {
    return option
        + " "
        + port
        + " is also the port of "
        + other
        + "; give each its own port (0 picks a free one)";
  }

  private int requirePort(String option, int value) {
    if (value < 0 || value > 65535) {
      throw usageError(option + " must be a port from 0 (any free port) to 65535, got " + value);
    }
    return value;
  }

  private int requirePositive(String option, int value) {
    if (value < 1) {
      throw usageError(option + " must be at least 1, got " + value);
    }
    return value;
  }

  private Duration requireWithin(String option, Duration value) {
    Duration max = ServerConfig.MAX_EAGER_WORKFLOW_DELAY;
    if (value.isNegative() || value.compareTo(max) > 0) {
      throw usageError(
          option
              + " must be from 0s to "
              + Durations.format(max)
              + ", got "
              + Durations.format(value));
    }
    return value;
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
