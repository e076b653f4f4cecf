package dev.baton.caller;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Baton server, shared by all activities of a worker. Thread-safe; close it when
 * the worker stops.
 */
public final class BatonClient implements AutoCloseable {
  /** The default address of {@code baton server}. */
  public static final String DEFAULT_TARGET = "127.0.0.1:7234";

  private final ManagedChannel channel;
  private final Duration callTimeout;
  private final ApiKeyCredentials apiKey;

  private BatonClient(ManagedChannel channel, Duration callTimeout, ApiKeyCredentials apiKey) {
    this.channel = channel;
    this.callTimeout = callTimeout;
    this.apiKey = apiKey;
  }

  /** Connects (lazily) to {@code host:port} over plaintext gRPC, with a 10 s call deadline. */
  public static BatonClient connect(String target) {
    return connect(target, Duration.ofSeconds(10));
  }

  public static BatonClient connect(String target, Duration callTimeout) {
    return connect(target, callTimeout, null);
  }

  /**
   * Connects like {@link #connect(String, Duration)} and sends {@code apiKey} with every call, for
   * a server started with {@code --auth api-key}; a key needs scope {@code write} to create
   * executions.
   *
   * @param apiKey the plain key, or null to send none
   */
  public static BatonClient connect(String target, Duration callTimeout, String apiKey) {
    return new BatonClient(
        NettyChannelBuilder.forTarget(target).usePlaintext().build(),
        callTimeout,
        apiKey == null ? null : ApiKeyCredentials.of(apiKey));
  }

  /** Creates (or, for a retried caller, finds) the execution. */
  public AgentExecution create(CreateExecutionRequest request) {
    AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub stub =
        AgentExecutionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return (apiKey == null ? stub : stub.withCallCredentials(apiKey)).create(request);
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
