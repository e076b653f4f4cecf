package dev.baton.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --max-watch-streams: a caller (here, without auth, its address) holds at most N Watch streams;
 * the slot frees when a stream ends or its client cancels it.
 */
class WatchStreamLimitTest {
  @TempDir static Path home;
  static BatonServer server;
  static ManagedChannel channel;
  static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  private final List<Stream> streams = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("slow.yaml"),
        "name: slow\nrunner: command\nsettings:\n  command: [sleep, \"120\"]\n");
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .serverLimits(ServerLimits.defaults().withMaxWatchStreams(2))
                .build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    server.close();
  }

  @AfterEach
  void cancelStreams() {
    streams.forEach(stream -> stream.context.cancel(null));
  }

  @Test
  void oneStreamTooManyIsExhaustedAndAClientCancelFreesItsSlot() {
    String id = createSlowExecution();
    Stream first = awaitOpen(id);
    awaitOpen(id);

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> open(id));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .startsWith("address 127.0.0.1 already has 2 Watch streams open, the most allowed");

    first.context.cancel(null);

    assertThat(awaitOpen(id).responses.next().hasExecution()).isTrue();
  }

  @Test
  void aStreamThatEndsFreesItsSlot() {
    String ending = createSlowExecution();
    Stream first = awaitOpen(ending);
    Stream second = awaitOpen(ending);

    api.cancel(CancelExecutionRequest.newBuilder().setId(ending).setReason("test").build());
    drain(first);
    drain(second);

    String running = createSlowExecution();
    awaitOpen(running);
    awaitOpen(running);
  }

  private static String createSlowExecution() {
    return api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent("slow").setMessage("wait"))
                .build())
        .getMetadata()
        .getId();
  }

  /** Opens a stream once a slot is free (earlier streams may still be closing). */
  private Stream awaitOpen(String id) {
    Stream[] opened = new Stream[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptionsMatching(
            e ->
                e instanceof StatusRuntimeException status
                    && status.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED)
        .until(
            () -> {
              opened[0] = open(id);
              return true;
            });
    return opened[0];
  }

  /** Opens a stream and waits for its first message, which a rejected stream never sends. */
  private Stream open(String id) throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    Iterator<WatchExecutionResponse> responses =
        context.call(() -> api.watch(WatchExecutionRequest.newBuilder().setId(id).build()));
    Stream stream = new Stream(context, responses);
    streams.add(stream);
    try {
      responses.hasNext();
    } catch (RuntimeException e) {
      context.cancel(null);
      throw e;
    }
    return stream;
  }

  private static void drain(Stream stream) {
    while (stream.responses.hasNext()) {
      stream.responses.next();
    }
  }

  private record Stream(
      Context.CancellableContext context, Iterator<WatchExecutionResponse> responses) {}
}
