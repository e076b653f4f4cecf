package dev.baton.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir Path home;

  @Test
  void findsKeyByItsHashOnly() {
    String key = ApiKey.generateKey();
    ApiKeys keys = ApiKeys.load(null, "ci:write:" + ApiKey.sha256Hex(key));

    assertThat(keys.find(key)).map(ApiKey::name).contains("ci");
    assertThat(keys.find(ApiKey.sha256Hex(key))).isEmpty();
  }

  @Test
  void plainKeyInPlaceOfHashIsRejectedWithoutEchoingIt() {
    String key = ApiKey.generateKey();

    assertThatThrownBy(() -> ApiKeys.load(null, "ci:write:" + key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64 lowercase hex characters")
        .hasMessageNotContaining(key);
  }

  @Test
  void unknownScopeIsRejected() {
    assertThatThrownBy(() -> ApiKey.parse("ci:owner:" + ApiKey.sha256Hex("k")))
        .hasMessageContaining("expected read, write or admin");
  }

  @Test
  void scopesWiden() {
    String create = "baton.v1.AgentExecutionService/Create";
    String watch = "baton.v1.AgentExecutionService/Watch";

    assertThat(ApiKeyScope.READ.allows(watch)).isTrue();
    assertThat(ApiKeyScope.READ.allows(create)).isFalse();
    assertThat(ApiKeyScope.WRITE.allows(create)).isTrue();
    assertThat(ApiKeyScope.WRITE.allows("baton.v1.AdminService/Purge")).isFalse();
    assertThat(ApiKeyScope.ADMIN.allows("baton.v1.AdminService/Purge")).isTrue();
  }

  @Test
  void describeIsReadingAndCompletingACallerIsForAdminsOnly() {
    String describe = "baton.v1.AgentExecutionService/Describe";
    String completeCaller = "baton.v1.AgentExecutionService/CompleteCaller";

    assertThat(ApiKeyScope.READ.allows(describe)).isTrue();
    assertThat(ApiKeyScope.WRITE.allows(completeCaller)).isFalse();
    assertThat(ApiKeyScope.ADMIN.allows(completeCaller)).isTrue();
  }

  @Test
  void apiKeyModeWithoutKeysIsRefused() {
    assertThatThrownBy(() -> AuthSettings.apiKeys(ApiKeys.none()))
        .hasMessageContaining("--auth api-key needs at least one key");
  }

  @Test
  void serverRefusesNonLoopbackListenWithoutAuth() {
    ServerConfig config = ServerConfig.builder(home).host("0.0.0.0").port(0).build();

    assertThatThrownBy(() -> BatonServer.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refusing to listen on 0.0.0.0:0 with --auth none")
        .hasMessageContaining("--insecure");
  }

  @Test
  void insecureAllowsNonLoopbackListenWithoutAuth() {
    AuthSettings insecure = new AuthSettings(AuthMode.NONE, ApiKeys.none(), true);

    insecure.checkListenAddress("0.0.0.0", 7234);
  }
}
