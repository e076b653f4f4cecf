package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import dev.baton.cli.RealBatonServer;
import dev.baton.server.tls.ServerTls;
import dev.baton.tls.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server started with {@code --tls-cert} and {@code --tls-key}. */
class TlsCliTest {
  static final TestCertificates PKI = TestCertificates.get();
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;
  static RealBatonServer server;

  @BeforeAll
  static void start() {
    server =
        RealBatonServer.start(
            home, Map.of(), config -> config.tls(ServerTls.of(PKI.serverCert(), PKI.serverKey())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createAndGetOverTlsWithTheServersCa() throws Exception {
    CliResult created =
        Cli.run(
            "exec",
            "create",
            "--agent",
            "shout",
            "--message",
            "over tls",
            "--address",
            server.address(),
            "--tls-ca",
            PKI.caCert().toString(),
            "-o",
            "json");
    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
    String id = JSON.readTree(created.out()).at("/metadata/id").asText();

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              CliResult get =
                  Cli.run(
                      "exec",
                      "get",
                      id,
                      "--address",
                      server.address(),
                      "--tls-ca",
                      PKI.caCert().toString(),
                      "-o",
                      "json");
              assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCodes.OK);
              JsonNode execution = JSON.readTree(get.out());
              assertThat(execution.at("/status/phase").asText()).isEqualTo("COMPLETED");
              assertThat(execution.at("/status/output").asText()).isEqualTo("OVER TLS");
            });
  }

  @Test
  void serverNameOverrideIsCheckedAgainstTheCertificate() {
    CliResult localhost =
        agentList("--tls-ca", PKI.caCert().toString(), "--tls-server-name", "localhost");
    CliResult other =
        agentList("--tls-ca", PKI.caCert().toString(), "--tls-server-name", "baton.example.com");

    assertThat(localhost.exitCode()).as(localhost.err()).isEqualTo(ExitCodes.OK);
    assertThat(other.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(other.err())
        .startsWith("error: the TLS handshake with the Baton server at " + server.address())
        .contains("--tls-server-name");
  }

  @Test
  void plaintextClientIsToldToUseTls() {
    CliResult result = agentList();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .startsWith("error: the Baton server at " + server.address() + " is unavailable")
        .contains("if it serves TLS, pass --tls or --tls-ca FILE (BATON_TLS, BATON_TLS_CA)");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void systemTrustDoesNotTrustATestCa() {
    CliResult result = agentList("--tls");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .startsWith("error: the TLS handshake with the Baton server at " + server.address())
        .contains("pass --tls-ca FILE (BATON_TLS_CA) with the CA that signed it");
  }

  @Test
  void tlsClientAgainstAPlaintextServerIsToldSo() {
    try (FakeBatonServer plaintext = FakeBatonServer.start()) {
      CliResult result =
          Cli.run(
              "agent",
              "list",
              "--address",
              plaintext.address(),
              "--tls-ca",
              PKI.caCert().toString());

      assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(result.err()).contains("the server does not speak TLS");
    }
  }

  @Test
  void missingCaFileIsNamed() {
    Path missing = PKI.dir().resolve("no-such-ca.pem");

    CliResult result = agentList("--tls-ca", missing.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .isEqualTo(
            "error: trusted CA file "
                + missing
                + " does not exist; expected a PEM file of certificates"
                + " (-----BEGIN CERTIFICATE-----)\n");
  }

  @Test
  void certificateWithoutKeyIsAUsageError() {
    CliResult result = agentList("--tls-ca", PKI.caCert().toString(), "--tls-cert", "c.pem");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--tls-cert and --tls-key go together");
  }

  private static CliResult agentList(String... tlsOptions) {
    String[] args = new String[tlsOptions.length + 4];
    args[0] = "agent";
    args[1] = "list";
    args[2] = "--address";
    args[3] = server.address();
    System.arraycopy(tlsOptions, 0, args, 4, tlsOptions.length);
    return Cli.run(args);
  }
}
