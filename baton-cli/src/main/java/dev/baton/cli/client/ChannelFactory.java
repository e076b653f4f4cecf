package dev.baton.cli.client;

import dev.baton.caller.ApiKeyCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.concurrent.TimeUnit;

/** Opens and closes the plaintext gRPC channel a CLI command talks to the server through. */
final class ChannelFactory {

  private static final long CLOSE_WAIT_SECONDS = 5;

  private ChannelFactory() {}

  /**
   * Opens a plaintext channel that sends {@code apiKey} (if not blank) with every call. Connecting
   * is lazy: an unreachable server shows up as UNAVAILABLE on the first call.
   */
  static ManagedChannel open(String address, String apiKey) {
    // A client command logs nothing itself; left alone, Netty's first logger would start Logback,
    // whose XML configuration costs a good part of the command's start-up. Netty's own warnings
    // still reach stderr through java.util.logging.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    ChannelCredentials credentials = InsecureChannelCredentials.create();
    if (apiKey != null && !apiKey.isBlank()) {
      credentials = CompositeChannelCredentials.create(credentials, ApiKeyCredentials.of(apiKey));
    }
    return Grpc.newChannelBuilder(address, credentials).userAgent("baton-cli").build();
  }

  /** Cancels the channel's calls (e.g. a watch left open) and waits briefly for it to close. */
  static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
