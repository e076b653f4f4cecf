package dev.baton.caller;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CreateExecutionRequest;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Objects;
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
    return newBuilder(target).connect();
  }

  public static BatonClient connect(String target, Duration callTimeout) {
    return newBuilder(target).callTimeout(callTimeout).connect();
  }

  /**
   * Connects like {@link #connect(String, Duration)} and sends {@code apiKey} with every call, for
   * a server started with {@code --auth api-key}; a key needs scope {@code write} to create
   * executions.
   *
   * @param apiKey the plain key, or null to send none
   */
  public static BatonClient connect(String target, Duration callTimeout, String apiKey) {
    return newBuilder(target).callTimeout(callTimeout).apiKey(apiKey).connect();
  }

  /**
   * A client of the server at {@code target} ({@code host:port}); defaults: plaintext, no API key,
   * a 10 s deadline per call.
   */
  public static Builder newBuilder(String target) {
    return new Builder(target);
  }

  /** Options of a {@link BatonClient}; every setter is optional. */
  public static final class Builder {
    private final String target;
    private Duration callTimeout = Duration.ofSeconds(10);
    private String apiKey;
    private BatonTls tls = BatonTls.none();

    private Builder(String target) {
      this.target = Objects.requireNonNull(target, "target");
    }

    /** Deadline of each call (default 10 s). */
    public Builder callTimeout(Duration value) {
      callTimeout = Objects.requireNonNull(value, "callTimeout");
      return this;
    }

    /** API key sent with every call, for a server started with {@code --auth api-key}. */
    public Builder apiKey(String value) {
      apiKey = value;
      return this;
    }

    /** TLS towards the server (default {@link BatonTls#none()}: plaintext). */
    public Builder tls(BatonTls value) {
      tls = Objects.requireNonNull(value, "tls");
      return this;
    }

    /**
     * Opens the connection (lazily: an unreachable server shows on the first call).
     *
     * @throws IllegalArgumentException if a TLS file is wrong, naming it and what was expected
     */
    public BatonClient connect() {
      return new BatonClient(BatonChannels.open(target, tls, apiKey, "baton-caller"), callTimeout);
    }
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
