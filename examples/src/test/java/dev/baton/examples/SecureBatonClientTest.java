package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.caller.BatonClient;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthSettings;
import dev.baton.server.tls.ServerTls;
import dev.baton.tls.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The developer guide's TLS client, against a server with mutual TLS and API keys. */
class SecureBatonClientTest {
  @TempDir Path home;

  @Test
  void createsAnExecutionOverMutualTlsWithAnApiKey() throws Exception {
    TestCertificates pki = TestCertificates.get();
    String key = ApiKey.generateKey();
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    ServerConfig config =
        ServerConfig.builder(home)
            .port(0)
            .embeddedTemporalPort(0)
            .metricsPort(0)
            .tls(
                ServerTls.of(pki.serverCert(), pki.serverKey())
                    .requireClientCertificates(pki.caCert()))
            .auth(AuthSettings.apiKeys(ApiKeys.load(null, "worker:write:" + ApiKey.sha256Hex(key))))
            .build();

    try (BatonServer server = BatonServer.start(config);
        BatonClient baton =
            SecureBatonClient.connect(
                "127.0.0.1:" + server.port(),
                pki.caCert(),
                pki.clientCert(),
                pki.clientKey(),
                key)) {
      String id =
          baton
              .create(
                  CreateExecutionRequest.newBuilder()
                      .setSpec(ExecutionSpec.newBuilder().setAgent("echo").setMessage("hi"))
                      .build())
              .getMetadata()
              .getId();

      assertThat(id).isNotBlank();
    }
  }
}
