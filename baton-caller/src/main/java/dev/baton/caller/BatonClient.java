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

  private BatonClient(ManagedChannel channel, Duration callTimeout) {
    this.channel = channel;
    this.callTimeout = callTimeout;
  }

  /** Connects (lazily) to {@code host:port} over plaintext gRPC, with a 10 s call deadline. */
  public static BatonClient connect(String target) {
    return connect(target, Duration.ofSeconds(10));
  }

  public static BatonClient connect(String target, Duration callTimeout) {
    return new BatonClient(
        NettyChannelBuilder.forTarget(target).usePlaintext().build(), callTimeout);
  }

  /** Creates (or, for a retried caller, finds) the execution. */
  public AgentExecution create(CreateExecutionRequest request) {
    return AgentExecutionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .create(request);
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
