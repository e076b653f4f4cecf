package dev.baton.server.limits;

import static dev.baton.server.limits.LimitTestClients.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeys;
import dev.baton.server.auth.AuthSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --rate-limit: each API key has its own token bucket; excess calls are told when to retry. */
class RateLimitTest {
  static final String ALICE = ApiKey.generateKey();
  static final String BOB = ApiKey.generateKey();
  static final String CAROL = ApiKey.generateKey();

  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() {
    ApiKeys keys =
        ApiKeys.load(
            null,
            "alice:read:"
                + ApiKey.sha256Hex(ALICE)
                + ",bob:read:"
                + ApiKey.sha256Hex(BOB)
                + ",carol:read:"
                + ApiKey.sha256Hex(CAROL));
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .auth(AuthSettings.apiKeys(keys))
                // One token per 5 s: nothing refills during a test.
                .serverLimits(ServerLimits.defaults().withRate(0.2, 3))
                .build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void callsBeyondTheBurstAreExhaustedWithARetryHint() throws Exception {
    for (int i = 0; i < 3; i++) {
      api(ALICE).list(ListExecutionsRequest.getDefaultInstance());
    }

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> api(ALICE).list(ListExecutionsRequest.getDefaultInstance()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .startsWith("rate limit of 0.2 requests/s (burst 3) exceeded for API key 'alice'")
        .containsPattern("; retry after \\d+ ms$");
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    assertThat(details).isNotNull();
    RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
    long delayMillis =
        retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000;
    assertThat(delayMillis).isBetween(1L, 5000L);
    assertThat(e.getStatus().getDescription()).contains("retry after " + delayMillis + " ms");
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    for (int i = 0; i < 3; i++) {
      api(BOB).list(ListExecutionsRequest.getDefaultInstance());
    }
    assertThat(
            catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> api(BOB).list(ListExecutionsRequest.getDefaultInstance()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    assertThat(api(CAROL).list(ListExecutionsRequest.getDefaultInstance())).isNotNull();
  }

  @Test
  void healthChecksAreNeverLimited() {
    for (int i = 0; i < 20; i++) {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .withCallCredentials(bearer(ALICE))
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
    }
  }

  private static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api(String key) {
    return AgentExecutionServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(key));
  }
}
