package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.callback.AgentResult;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.tls.ServerTls;
import dev.baton.tls.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caller SDK reaches a server over TLS and mutual TLS, with an API key on top. */
class TlsCallerTest {
  private final TestCertificates pki = TestCertificates.get();

  @TempDir Path home;

  @Test
  void callerCompletesACallOverMutualTlsWithAnApiKey() {
    try (TestBaton baton =
        TestBaton.builder(home)
            .apiKey(ApiKey.generateKey())
            .tls(
                ServerTls.of(pki.serverCert(), pki.serverKey())
                    .requireClientCertificates(pki.caCert()),
                BatonTls.trusting(pki.caCert())
                    .withClientCertificate(pki.clientCert(), pki.clientKey()))
            .start()) {
      List<AgentResult> results =
          baton.caller("tls-caller").call(List.of(AgentCall.of("shout", "secure")), 5_000);

      assertThat(results).extracting(AgentResult::output).containsExactly("SECURE");
    }
  }

  @Test
  void wrongClientKeyFailsConnectNamingTheFile() {
    BatonClient.Builder client =
        BatonClient.newBuilder("127.0.0.1:1")
            .tls(
                BatonTls.trusting(pki.caCert())
                    .withClientCertificate(pki.clientCert(), pki.otherClientKey()));

    assertThatThrownBy(client::connect)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "client key "
                + pki.otherClientKey()
                + " does not belong to the certificate of client certificate "
                + pki.clientCert());
  }

  @Test
  void anySettingImpliesTls() {
    assertThat(BatonTls.none().enabled()).isFalse();
    assertThat(BatonTls.none().withServerName("baton.internal").enabled()).isTrue();
    assertThat(BatonTls.trusting(pki.caCert()).enabled()).isTrue();
    assertThatThrownBy(() -> new BatonTls(true, null, pki.clientCert(), null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
