package dev.baton.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.execution.ExecutionLimits;
import dev.baton.execution.ExecutionWorkflowOptions;
import dev.baton.server.ServerConfig;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyScope;
import dev.baton.server.auth.AuthMode;
import dev.baton.server.limits.ServerLimits;
import dev.baton.server.temporal.TemporalSecurity;
import dev.baton.server.tls.ServerTls;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.PicocliException;

/** {@code baton server}'s flags reach {@link ServerConfig} as documented in the README. */
class ServerCommandTest {

  @TempDir Path home;

  @Test
  void mapsEveryFlagToTheServerConfig() {
    ServerConfig config =
        config(
            "--listen",
            "127.0.0.1:0",
            "--home",
            home.toString(),
            "--database-url",
            "jdbc:postgresql://db:5432/baton?user=u&password=p",
            "--agents",
            home.toString(),
            "--temporal-address",
            "temporal:7233",
            "--temporal-namespace",
            "team",
            "--embedded-temporal-port",
            "0",
            "--max-message-bytes",
            "2048",
            "--callback-output-limit",
            "1024",
            "--delivery-timeout",
            "3s",
            "--delivery-retry-window",
            "1h",
            "--agent-slots",
            "1000");

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.home()).isEqualTo(home);
    assertThat(config.databaseUrl()).isEqualTo("jdbc:postgresql://db:5432/baton?user=u&password=p");
    assertThat(config.agentsPath()).isEqualTo(home);
    assertThat(config.temporalAddress()).isEqualTo("temporal:7233");
    assertThat(config.embeddedTemporal()).isFalse();
    assertThat(config.temporalNamespace()).isEqualTo("team");
    assertThat(config.embeddedTemporalPort()).isZero();
    assertThat(config.limits().maxMessageBytes()).isEqualTo(2048);
    assertThat(config.outputLimitBytes()).isEqualTo(1024);
    assertThat(config.workflowOptions().deliveryRpcDeadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.workflowOptions().deliveryRetryWindow()).isEqualTo(Duration.ofHours(1));
    assertThat(config.agentSlots()).isEqualTo(1000);
  }

  @Test
  void runsTwoHundredAgentsAtOnceByDefaultAndRejectsNoSlots() {
    assertThat(config("--home", home.toString()).agentSlots())
        .isEqualTo(ServerConfig.DEFAULT_AGENT_SLOTS)
        .isEqualTo(200);
    assertThatThrownBy(() -> config("--home", home.toString(), "--agent-slots", "0"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--agent-slots must be at least 1, got 0");
  }

  @Test
  void keepsTheOtherLimitsAndWorkflowOptionsAtTheirDefaults() {
    ServerConfig config = config("--home", home.toString(), "--max-message-bytes", "2048");

    ExecutionLimits limits = ExecutionLimits.defaults();
    assertThat(config.limits())
        .isEqualTo(
            new ExecutionLimits(
                2048, limits.maxTokenBytes(), limits.maxTimeout(), limits.maxLabels()));
    ExecutionWorkflowOptions defaults = ExecutionWorkflowOptions.defaults();
    assertThat(config.workflowOptions().agentHeartbeatTimeout())
        .isEqualTo(defaults.agentHeartbeatTimeout());
    assertThat(config.workflowOptions().agentDeadlineGrace())
        .isEqualTo(defaults.agentDeadlineGrace());
    assertThat(config.workflowOptions().agentMaxAttempts()).isEqualTo(defaults.agentMaxAttempts());
  }

  @Test
  void derivesTheDatabaseAndAgentsFromTheHomeWhenNotGiven() {
    ServerConfig config = config("--home", home.toString(), "--database-url", " ");

    assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:" + home.resolve("baton.db"));
    assertThat(config.agentsPath()).isEqualTo(home.resolve("agents"));
  }

  @Test
  void blankTemporalAddressMeansEmbedded() {
    ServerConfig config = config("--home", home.toString(), "--temporal-address", "");

    assertThat(config.embeddedTemporal()).isTrue();
  }

  @Test
  void listenWithoutAPortIsRejectedWithAnExample() {
    assertThatThrownBy(() -> config("--home", home.toString(), "--listen", "value"))
        .isInstanceOf(PicocliException.class)
        .hasMessageContaining(
            "Invalid value for option '--listen': expected HOST:PORT (e.g. 127.0.0.1:7234),"
                + " got 'value'");
  }

  @Test
  void listenWithAPortOutOfRangeIsRejected() {
    assertThatThrownBy(() -> config("--home", home.toString(), "--listen", "localhost:70000"))
        .isInstanceOf(PicocliException.class)
        .hasMessageContaining(
            "Invalid value for option '--listen': expected a port from 0 to 65535 after HOST:,"
                + " got 'localhost:70000'");
  }

  @Test
  void badListenOnTheCommandLineFailsWithoutStartingAServer() {
    CliResult result = Cli.run("server", "--home", home.toString(), "--listen", "value");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--listen': expected HOST:PORT (e.g. 127.0.0.1:7234)");
  }

  @Test
  void eagerWorkflowDelayDefaultsToFiveSecondsTakesZeroAndRejectsMoreThanTen() {
    assertThat(config("--home", home.toString()).eagerWorkflowDelay())
        .isEqualTo(ServerConfig.DEFAULT_EAGER_WORKFLOW_DELAY)
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            config("--home", home.toString(), "--eager-workflow-delay", "0s").eagerWorkflowDelay())
        .isZero();
    assertThatThrownBy(() -> config("--home", home.toString(), "--eager-workflow-delay", "11s"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--eager-workflow-delay must be from 0s to 10s, got 11s");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--eager-workflow-delay | 20s | --eager-workflow-delay must be from 0s to 10s, got 20s",
        "--agent-slots | -1 | --agent-slots must be at least 1, got -1",
        "--auth | foo | --auth must be none or api-key, got 'foo'",
        "--rate-limit | abc | --rate-limit must be requests per second such as 50 or 50/s, got 'abc'",
        "--rate-burst | -3 | --rate-burst must be 0 or more",
        "--max-message-bytes | -5 | --max-message-bytes must be from 1 to 4194304"
            + " (gRPC's request limit), got -5",
        "--max-message-bytes | 0 | --max-message-bytes must be from 1 to 4194304",
        "--max-message-bytes | 4194305 | --max-message-bytes must be from 1 to 4194304",
        "--callback-output-limit | -1 | --callback-output-limit must be 0 or more bytes",
        "--agents | /nonexistent/dir | --agents /nonexistent/dir does not exist; expected an agent"
            + " YAML file or a directory of them",
      })
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void badFlagValueIsAUsageErrorNamingTheFlagAndItsRange(
      String option, String value, String message) {
    CliResult result =
        Cli.run(
            "server",
            "--home",
            home.toString(),
            "--listen",
            "127.0.0.1:0",
            "--embedded-temporal-port",
            "0",
            "--metrics-port",
            "0",
            option,
            value);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--embedded-temporal-port 7234 | --embedded-temporal-port 7234 is also the port of --listen",
        "--metrics-port 7234 | --metrics-port 7234 is also the port of --listen",
        "--metrics-port 7233 | --metrics-port 7233 is also the port of --embedded-temporal-port",
      })
  void twoOfTheServersPortsTheSameIsAUsageErrorNamingBoth(String flag, String message) {
    String[] words = flag.split(" ");

    assertThatThrownBy(() -> config("--home", home.toString(), words[0], words[1]))
        .isInstanceOf(ParameterException.class)
        .hasMessage(message + "; give each its own port (0 picks a free one)");
    assertThat(
            config(
                    "--home",
                    home.toString(),
                    "--temporal-address",
                    "127.0.0.1:7400",
                    "--metrics-port",
                    "7233")
                .metricsPort())
        .isEqualTo(7233);
  }

  @ParameterizedTest
  @CsvSource({"--metrics-port, -1", "--embedded-temporal-port, 70000"})
  void aPortOutOfRangeIsAUsageErrorNamingTheFlag(String option, String value) {
    assertThatThrownBy(() -> config("--home", home.toString(), option, value))
        .isInstanceOf(ParameterException.class)
        .hasMessage(option + " must be a port from 0 (any free port) to 65535, got " + value);
  }

  @Test
  void agentsDefaultToTheHomesAgentsDirectoryEvenWhenItIsMissing() {
    assertThat(config("--home", home.toString()).agentsPath()).isEqualTo(home.resolve("agents"));
  }

  @Test
  void eagerStartHelpSaysTheAgentStartsBeforeItsWorkflow() {
    String help = Cli.run("server", "--help").out().replaceAll("\\s+", " ");

    assertThat(help)
        .contains(
            "--[no-]eager-start Start a built-in agent without maxConcurrent in Create itself,"
                + " before its execution workflow starts (see --eager-workflow-delay)")
        .doesNotContain("as soon as Create has started its workflow");
  }

  @Test
  void badDeliveryTimeoutIsAUsageError() {
    CliResult result = Cli.run("server", "--home", home.toString(), "--delivery-timeout", "soon");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--delivery-timeout");
  }

  @Test
  void reconcileIntervalDefaultsToThirtySecondsAndCanBeShortened() {
    assertThat(config("--home", home.toString()).reconcileInterval())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(config("--home", home.toString(), "--reconcile-interval", "2s").reconcileInterval())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void endedExecutionsAreKeptThirtyDaysUnlessToldOtherwise() {
    assertThat(config("--home", home.toString()).retention()).isEqualTo(Duration.ofDays(30));
    assertThat(config("--home", home.toString(), "--retention", "90d").retention())
        .isEqualTo(Duration.ofDays(90));
    assertThat(config("--home", home.toString(), "--retention", "0s").retention()).isZero();
  }

  @Test
  void agentFilesAreCheckedEveryFiveSecondsUnlessToldOtherwise() {
    assertThat(config("--home", home.toString()).agentsReloadInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            config("--home", home.toString(), "--agents-reload-interval", "1m")
                .agentsReloadInterval())
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(
            config("--home", home.toString(), "--agents-reload-interval", "0s")
                .agentsReloadInterval())
        .isZero();
  }

  @Test
  void mapsAuthFlags() throws Exception {
    Path keys = home.resolve("keys");
    java.nio.file.Files.writeString(keys, "ops:admin:" + ApiKey.sha256Hex("k1") + "\n");

    ServerConfig config =
        config(
            "--home",
            home.toString(),
            "--auth",
            "api-key",
            "--api-keys-file",
            keys.toString(),
            "--api-keys",
            "ci:write:" + ApiKey.sha256Hex("k2"));

    assertThat(config.auth().mode()).isEqualTo(AuthMode.API_KEY);
    assertThat(config.auth().keys().list())
        .extracting(ApiKey::name, ApiKey::scope)
        .containsExactly(tuple("ops", ApiKeyScope.ADMIN), tuple("ci", ApiKeyScope.WRITE));
  }

  @Test
  void defaultsToNoAuth() {
    assertThat(config("--home", home.toString()).auth().mode()).isEqualTo(AuthMode.NONE);
  }

  @Test
  void serverRefusesNonLoopbackListenWithoutAuth() {
    CliResult result =
        Cli.run(
            "server",
            "--home",
            home.toString(),
            "--listen",
            "0.0.0.0:0",
            "--embedded-temporal-port",
            "0",
            "--metrics-port",
            "0");

    assertThat(result.exitCode()).isNotEqualTo(ExitCodes.OK);
    assertThat(result.err())
        .contains("refusing to listen on 0.0.0.0:0 with --auth none")
        .contains("--insecure");
  }

  @Test
  void secretsFileIsOptionalAndDocumentedWithItsReferenceSyntax() {
    assertThat(config("--home", home.toString()).secretsFile()).isNull();
    assertThat(
            config("--home", home.toString(), "--secrets-file", "/etc/baton/secrets").secretsFile())
        .isEqualTo(Path.of("/etc/baton/secrets"));
    assertThat(new CommandLine(new ServerCommand()).getUsageMessage())
        .contains("${secret:NAME}", "BATON_SECRETS_FILE");
  }

  @Test
  void mapsTheLimitFlagsToServerLimits() {
    ServerLimits limits =
        config(
                "--home",
                home.toString(),
                "--rate-limit",
                "50/s",
                "--rate-burst",
                "100",
                "--max-watch-streams",
                "4",
                "--max-concurrent-per-agent",
                "3")
            .serverLimits();

    assertThat(limits).isEqualTo(new ServerLimits(50, 100, 4, 3));
  }

  @Test
  void limitsDefaultToNoRateLimitAndSixteenWatchStreams() {
    ServerLimits limits = config("--home", home.toString()).serverLimits();

    assertThat(limits.rateLimited()).isFalse();
    assertThat(limits.maxWatchStreams()).isEqualTo(16);
    assertThat(limits.maxConcurrentPerAgent()).isZero();
    assertThat(new ServerLimits(50, 0, 16, 0).rateBurst()).isEqualTo(100);
  }

  @Test
  void rejectsAMalformedRateLimit() {
    assertThatThrownBy(() -> config("--home", home.toString(), "--rate-limit", "fast"))
        .hasMessageContaining("--rate-limit must be requests per second such as 50 or 50/s");
  }

  @Test
  void tokenKeyFileIsOptional() {
    assertThat(config("--home", home.toString()).tokenKeyFile()).isNull();
    assertThat(
            config("--home", home.toString(), "--token-key-file", "/etc/baton/token-keys")
                .tokenKeyFile())
        .isEqualTo(Path.of("/etc/baton/token-keys"));
  }

  @Test
  void mapsTlsFlags() {
    ServerConfig config =
        config(
            "--home",
            home.toString(),
            "--tls-cert",
            "/etc/baton/server.pem",
            "--tls-key",
            "/etc/baton/server.key",
            "--tls-client-ca",
            "/etc/baton/clients-ca.pem");

    assertThat(config.tls())
        .isEqualTo(
            ServerTls.of(Path.of("/etc/baton/server.pem"), Path.of("/etc/baton/server.key"))
                .requireClientCertificates(Path.of("/etc/baton/clients-ca.pem")));
    assertThat(config("--home", home.toString()).tls().enabled()).isFalse();
  }

  @Test
  void mapsTemporalTlsFlags() {
    ServerConfig config =
        config(
            "--home",
            home.toString(),
            "--temporal-address",
            "ns.acct.tmprl.cloud:7233",
            "--temporal-tls-ca",
            "/etc/baton/temporal-ca.pem",
            "--temporal-tls-cert",
            "/etc/baton/temporal.pem",
            "--temporal-tls-key",
            "/etc/baton/temporal.key",
            "--temporal-tls-server-name",
            "temporal.internal",
            "--temporal-api-key",
            "k1");

    assertThat(config.temporalSecurity())
        .isEqualTo(
            new TemporalSecurity(
                true,
                Path.of("/etc/baton/temporal-ca.pem"),
                Path.of("/etc/baton/temporal.pem"),
                Path.of("/etc/baton/temporal.key"),
                "temporal.internal",
                "k1"));
    assertThat(config("--home", home.toString()).temporalSecurity())
        .isEqualTo(TemporalSecurity.plaintext());
  }

  @Test
  void temporalTlsWithTheEmbeddedTemporalIsRefused() {
    CliResult result =
        Cli.run(
            "server",
            "--home",
            home.toString(),
            "--temporal-tls",
            "--embedded-temporal-port",
            "0",
            "--metrics-port",
            "0");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("--temporal-tls,")
        .contains("apply to an external Temporal: give --temporal-address");
  }

  @Test
  void serverWithACertificateButNoKeyIsRefused() {
    CliResult result =
        Cli.run("server", "--home", home.toString(), "--tls-cert", "/etc/baton/server.pem");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("--tls-cert and --tls-key go together");
  }

  @Test
  void serverWithAMissingCertificateNamesIt() {
    Path missing = home.resolve("server.pem");
    CliResult result =
        Cli.run(
            "server",
            "--home",
            home.toString(),
            "--listen",
            "127.0.0.1:0",
            "--tls-cert",
            missing.toString(),
            "--tls-key",
            missing.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(result.err())
        .isEqualTo(
            "error: --tls-cert (BATON_TLS_CERT) "
                + missing
                + " does not exist; expected a PEM file of certificates"
                + " (-----BEGIN CERTIFICATE-----)\n");
  }

  @Test
  void aBadAgentDefinitionStopsTheStartInOneLineNamingTheFile() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Path bad = Files.writeString(agents.resolve("bad.yaml"), "name: bad\nrunner: nosuch\n");

    CliResult result = startOnFreePorts("--agents", agents.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(result.err())
        .startsWith("error: " + bad + ": agent 'bad': runner 'nosuch' is unknown")
        .doesNotContain("\tat ");
  }

  @ParameterizedTest
  @CsvSource({
    "--listen, 'cannot listen on 127.0.0.1:%d: the address is in use', --listen",
    "--embedded-temporal-port, 'cannot start the embedded Temporal on 127.0.0.1:%d: the port is"
        + " in use', --embedded-temporal-port",
    "--metrics-port, 'cannot serve metrics and health on 127.0.0.1:%d: the address is in use',"
        + " --metrics-port"
  })
  void aPortInUseStopsTheStartInOneLineNamingItsFlag(String flag, String message, String hint)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String value = flag.equals("--listen") ? "127.0.0.1:" + port : Integer.toString(port);

      CliResult result = startOnFreePorts(flag, value);

      assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
      assertThat(result.err())
          .startsWith("error: " + message.formatted(port))
          .contains(hint)
          .doesNotContain("\tat ");
    }
  }

  @Test
  void anUnreachableDatabaseStopsTheStartInOneLineWithoutItsPassword() throws Exception {
    int closed;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }

    CliResult result =
        startOnFreePorts(
            "--database-url",
            "jdbc:postgresql://127.0.0.1:" + closed + "/baton?user=baton&password=hunter2");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(result.err())
        .startsWith("error: cannot open the database jdbc:postgresql://127.0.0.1:" + closed)
        .contains("refused", "--database-url")
        .doesNotContain("hunter2")
        .doesNotContain("\tat ");
  }

  /** {@code baton server} with this home, every port free unless {@code args} say otherwise. */
  private CliResult startOnFreePorts(String... args) {
    List<String> command = new ArrayList<>(List.of("server", "--home", home.toString()));
    command.addAll(List.of(args));
    for (String[] port :
        List.of(
            new String[] {"--listen", "127.0.0.1:0"},
            new String[] {"--embedded-temporal-port", "0"},
            new String[] {"--metrics-port", "0"})) {
      if (!command.contains(port[0])) {
        command.addAll(List.of(port));
      }
    }
    return Cli.run(command.toArray(String[]::new));
  }

  @Test
  void payloadEncryptionIsOffUnlessAKeyFileIsGiven() {
    assertThat(config("--home", home.toString()).payloadEncryption().keyFile()).isNull();
    assertThat(config("--home", home.toString()).payloadEncryption().encryptCallerResults())
        .isFalse();

    ServerConfig on =
        config(
            "--home",
            home.toString(),
            "--payload-key-file",
            "/etc/baton/payload-keys",
            "--encrypt-caller-results");

    assertThat(on.payloadEncryption().keyFile()).isEqualTo(Path.of("/etc/baton/payload-keys"));
    assertThat(on.payloadEncryption().encryptCallerResults()).isTrue();
  }

  private static ServerConfig config(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }
}
