package dev.baton.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.AgentServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** With --auth api-key, calls need a known key whose scope allows the method. */
class ApiKeyAuthTest {
  static final String READ_KEY = ApiKey.generateKey();
  static final String WRITE_KEY = ApiKey.generateKey();

  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    Path keysFile = home.resolve("api-keys");
    Files.writeString(keysFile, "# readers\nreader:read:" + ApiKey.sha256Hex(READ_KEY) + "\n\n");
    ApiKeys keys = ApiKeys.load(keysFile, "writer:write:" + ApiKey.sha256Hex(WRITE_KEY));
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .auth(AuthSettings.apiKeys(keys))
                .build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void callWithoutKeyIsUnauthenticated() {
    StatusRuntimeException e = listFails(api(null));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("send an API key in the authorization header: Bearer <key>");
  }

  @Test
  void callWithUnknownKeyIsUnauthenticatedAndLoggedWithoutTheKey() {
    Logger interceptorLog = (Logger) LoggerFactory.getLogger(ApiKeyInterceptor.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    interceptorLog.addAppender(logs);
    String unknown = ApiKey.generateKey();
    try {
      StatusRuntimeException e = listFails(api(unknown));
      listFails(api(null));

      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    } finally {
      interceptorLog.detachAppender(logs);
    }
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("refused baton.v1.AgentExecutionService/List from /127.0.0.1:")
                    .endsWith(": an API key that is not configured here"))
        .anySatisfy(line -> assertThat(line).endsWith(": no API key"))
        .noneSatisfy(line -> assertThat(line).contains(unknown));
  }

  @Test
  void readKeyListsExecutionsAndAgents() {
    assertThat(api(READ_KEY).list(ListExecutionsRequest.getDefaultInstance()).getExecutionsList())
        .isNotNull();
    assertThat(
            AgentServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(bearer(READ_KEY))
                .list(ListAgentsRequest.getDefaultInstance())
                .getAgentsList())
        .extracting(agent -> agent.getName())
        .contains("echo");
  }

  @Test
  void readKeyCannotCreate() {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> api(READ_KEY).create(create()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(e.getStatus().getDescription())
        .contains("'reader' has scope read")
        .contains("baton.v1.AgentExecutionService/Create");
  }

  @Test
  void writeKeyCreatesAnExecution() {
    String id = api(WRITE_KEY).create(create()).getMetadata().getId();

    assertThat(id).isNotBlank();
  }

  @Test
  void healthStaysOpen() {
    assertThat(
            HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.getDefaultInstance())
                .getStatus())
        .isEqualTo(ServingStatus.SERVING);
  }

  private static StatusRuntimeException listFails(
      AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api) {
    return catchThrowableOfType(
        StatusRuntimeException.class, () -> api.list(ListExecutionsRequest.getDefaultInstance()));
  }

  private static CreateExecutionRequest create() {
    return CreateExecutionRequest.newBuilder()
        .setSpec(ExecutionSpec.newBuilder().setAgent("echo").setMessage("hello"))
        .build();
  }

  private static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api(String key) {
    AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub stub =
        AgentExecutionServiceGrpc.newBlockingStub(channel);
    return key == null ? stub : stub.withCallCredentials(bearer(key));
  }

  private static CallCredentials bearer(String key) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(ApiKeyInterceptor.AUTHORIZATION, "Bearer " + key);
        applier.apply(headers);
      }
    };
  }
}
