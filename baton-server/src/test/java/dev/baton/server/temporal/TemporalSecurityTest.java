package dev.baton.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.server.ServerConfig;
import dev.baton.tls.TestCertificates;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Baton's connection to an external Temporal over TLS, against a stand-in frontend on loopback (the
 * Java test server has no TLS) that answers health checks and records what each call carried.
 */
class TemporalSecurityTest {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String WORKFLOW_SERVICE = "temporal.api.workflowservice.v1.WorkflowService";

  private final TestCertificates pki = TestCertificates.get();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private Server frontend;

  @TempDir Path home;

  /** What one call to the stand-in frontend carried. */
  record Call(String method, String authorization, String namespace, String clientSubject) {}

  @AfterEach
  void stopFrontend() {
    if (frontend != null) {
      frontend.shutdownNow();
    }
  }

  @Test
  void apiKeyGoesOverTlsAsABearerTokenWithTheNamespace() throws Exception {
    String target = startFrontend(false);
    TemporalSecurity security =
        new TemporalSecurity(false, pki.caCert(), null, null, null, "cloud-api-key");

    try (TemporalConnection temporal = open(target, security)) {
      assertThat(temporal.service().getOptions().getSslContext()).isNotNull();
    }

    assertThat(calls).isNotEmpty();
    Call first = calls.get(0);
    assertThat(first.method()).isEqualTo("grpc.health.v1.Health/Check");
    assertThat(first.authorization()).isEqualTo("Bearer cloud-api-key");
    assertThat(first.namespace()).isEqualTo("team-ns");
  }

  @Test
  void clientCertificateIsPresentedToAFrontendThatRequiresOne() throws Exception {
    String target = startFrontend(true);
    TemporalSecurity security =
        new TemporalSecurity(
            false, pki.caCert(), pki.clientCert(), pki.clientKey(), "localhost", null);

    try (TemporalConnection temporal = open(target, security)) {
      assertThat(temporal.target()).isEqualTo(target);
    }

    assertThat(calls.get(0).clientSubject()).isEqualTo("CN=baton test client");
    assertThat(calls.get(0).authorization()).isNull();
  }

  @Test
  void embeddedTemporalRejectsTlsSettings() {
    TemporalSecurity security = new TemporalSecurity(true, null, null, null, null, null);

    assertThatThrownBy(() -> ServerConfig.builder(home).temporalSecurity(security).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apply to an external Temporal: give --temporal-address");
    assertThatThrownBy(() -> open(null, security))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--temporal-api-key apply to an external Temporal");
  }

  @Test
  void apiKeyAloneImpliesTlsWithSystemTrustAndIsNeverPrinted() {
    TemporalSecurity security = new TemporalSecurity(false, null, null, null, null, "secret-key");

    assertThat(security.tls()).isTrue();
    assertThat(security.describe()).isEqualTo("TLS, API key");
    assertThat(security.toString()).doesNotContain("secret-key").contains("apiKey=***");
    assertThat(TemporalSecurity.plaintext().describe()).isEqualTo("plaintext");
  }

  @Test
  void wrongClientKeyFailsNamingTheFlag() {
    TemporalSecurity security =
        new TemporalSecurity(false, null, pki.clientCert(), pki.serverKey(), null, null);

    assertThatThrownBy(() -> open("127.0.0.1:1", security))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "--temporal-tls-key (BATON_TEMPORAL_TLS_KEY) "
                + pki.serverKey()
                + " does not belong to the certificate of --temporal-tls-cert");
  }

  private static TemporalConnection open(String target, TemporalSecurity security) {
    return TemporalConnection.open(
        target,
        security,
        "team-ns",
        0,
        DefaultDataConverter.STANDARD_INSTANCE,
        new SimpleMeterRegistry());
  }

  /** Starts the stand-in frontend; returns its target. */
  private String startFrontend(boolean requireClientCertificate) throws Exception {
    TlsServerCredentials.Builder credentials =
        TlsServerCredentials.newBuilder()
            .keyManager(pki.serverCert().toFile(), pki.serverKey().toFile());
    if (requireClientCertificate) {
      credentials
          .trustManager(pki.caCert().toFile())
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus(WORKFLOW_SERVICE, ServingStatus.SERVING);
    frontend =
        Grpc.newServerBuilderForPort(0, credentials.build())
            .addService(ServerInterceptors.intercept(health.getHealthService(), new Recorder()))
            .build()
            .start();
    return "127.0.0.1:" + frontend.getPort();
  }

  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      calls.add(
          new Call(
              call.getMethodDescriptor().getFullMethodName(),
              headers.get(AUTHORIZATION),
              headers.get(TemporalSecurity.NAMESPACE_HEADER),
              clientSubject(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))));
      return next.startCall(call, headers);
    }

    private String clientSubject(SSLSession session) {
      try {
        Certificate[] chain = session == null ? null : session.getPeerCertificates();
        return chain == null
            ? null
            : ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
  }
}
