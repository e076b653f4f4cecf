package dev.baton.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.v1.AgentServiceGrpc;
import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.tls.TestCertificates;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC API over TLS, and the startup errors of wrong TLS files. */
class ServerTlsTest {
  private final TestCertificates pki = TestCertificates.get();

  @TempDir Path home;

  @Test
  void servesTlsToAClientTrustingItsCaAndRefusesPlaintext() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    try (BatonServer server =
        BatonServer.start(config().tls(ServerTls.of(pki.serverCert(), pki.serverKey())).build())) {
      String target = "127.0.0.1:" + server.port();
      ManagedChannel tls =
          Grpc.newChannelBuilder(
                  target,
                  TlsChannelCredentials.newBuilder().trustManager(pki.caCert().toFile()).build())
              .build();
      ManagedChannel plaintext =
          Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
      try {
        assertThat(
                AgentServiceGrpc.newBlockingStub(tls)
                    .list(ListAgentsRequest.getDefaultInstance())
                    .getAgentsList())
            .extracting(agent -> agent.getName())
            .containsExactly("echo");
        assertThatThrownBy(
                () ->
                    AgentServiceGrpc.newBlockingStub(plaintext)
                        .list(ListAgentsRequest.getDefaultInstance()))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      } finally {
        tls.shutdownNow();
        plaintext.shutdownNow();
      }
    }
  }

  @Test
  void keyOfAnotherCertificateFailsStartupNamingBothFiles() {
    ServerConfig config = config().tls(ServerTls.of(pki.serverCert(), pki.clientKey())).build();

    assertThatThrownBy(() -> BatonServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--tls-key (BATON_TLS_KEY) "
                + pki.clientKey()
                + " does not belong to the certificate of --tls-cert (BATON_TLS_CERT) "
                + pki.serverCert());
  }

  @Test
  void unreadableCertificateFailsStartupSayingPemWasExpected() {
    Path missing = home.resolve("server.pem");
    ServerConfig config = config().tls(ServerTls.of(missing, pki.serverKey())).build();

    assertThatThrownBy(() -> BatonServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--tls-cert (BATON_TLS_CERT) "
                + missing
                + " does not exist; expected a PEM file of certificates"
                + " (-----BEGIN CERTIFICATE-----)");
  }

  @Test
  void clientCaThatIsNotACertificateFailsStartup() {
    ServerConfig config =
        config()
            .tls(
                ServerTls.of(pki.serverCert(), pki.serverKey())
                    .requireClientCertificates(pki.clientKey()))
            .build();

    assertThatThrownBy(() -> BatonServer.start(config))
        .hasMessageStartingWith("--tls-client-ca (BATON_TLS_CLIENT_CA) " + pki.clientKey())
        .hasMessageContaining("expected PEM certificates");
  }

  @Test
  void certificateWithoutKeyAndClientCaWithoutTlsAreRejected() {
    assertThatThrownBy(() -> new ServerTls(pki.serverCert(), null, null))
        .hasMessageStartingWith("--tls-cert and --tls-key go together");
    assertThatThrownBy(() -> new ServerTls(null, null, pki.caCert()))
        .hasMessageStartingWith("--tls-client-ca needs --tls-cert and --tls-key");
  }

  private ServerConfig.Builder config() {
    return ServerConfig.builder(home).port(0).embeddedTemporalPort(0);
  }
}
