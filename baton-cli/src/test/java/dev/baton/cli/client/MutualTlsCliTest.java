package dev.baton.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.RealBatonServer;
import dev.baton.server.tls.ServerTls;
import dev.baton.tls.TestCertificates;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a server started with {@code --tls-client-ca}: mutual TLS. */
class MutualTlsCliTest {
  static final TestCertificates PKI = TestCertificates.get();

  @TempDir static Path home;
  static RealBatonServer server;

  @BeforeAll
  static void start() {
    server =
        RealBatonServer.start(
            home,
            Map.of(),
            config ->
                config.tls(
                    ServerTls.of(PKI.serverCert(), PKI.serverKey())
                        .requireClientCertificates(PKI.caCert())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void clientWithACertificateFromTheCaIsServed() {
    CliResult result =
        agentList(
            "--tls-cert", PKI.clientCert().toString(), "--tls-key", PKI.clientKey().toString());

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("shout");
  }

  @Test
  void clientWithoutACertificateIsToldToSendOne() {
    CliResult result = agentList();

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .startsWith("error: the TLS handshake with the Baton server at " + server.address())
        .contains("the server requires a client certificate: pass --tls-cert FILE and --tls-key");
  }

  @Test
  void clientWithACertificateFromAnotherCaIsRefused() {
    CliResult result =
        agentList(
            "--tls-cert",
            PKI.otherClientCert().toString(),
            "--tls-key",
            PKI.otherClientKey().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err())
        .contains("the server did not accept the client certificate " + PKI.otherClientCert());
  }

  @Test
  void keyOfAnotherCertificateFailsBeforeConnecting() {
    CliResult result =
        agentList(
            "--tls-cert", PKI.clientCert().toString(), "--tls-key", PKI.serverKey().toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .startsWith("error: client key " + PKI.serverKey() + " does not belong to the certificate");
  }

  private static CliResult agentList(String... clientCertificate) {
    String[] args = new String[clientCertificate.length + 6];
    args[0] = "agent";
    args[1] = "list";
    args[2] = "--address";
    args[3] = server.address();
    args[4] = "--tls-ca";
    args[5] = PKI.caCert().toString();
    System.arraycopy(clientCertificate, 0, args, 6, clientCertificate.length);
    return Cli.run(args);
  }
}
