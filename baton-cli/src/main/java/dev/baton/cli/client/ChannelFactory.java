package dev.baton.cli.client;

import dev.baton.caller.BatonChannels;
import dev.baton.caller.BatonTls;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.concurrent.TimeUnit;

/** Opens and closes the gRPC channel a CLI command talks to the server through. */
final class ChannelFactory {

  private static final long CLOSE_WAIT_SECONDS = 5;

  private ChannelFactory() {}

  /**
   * Opens a channel (plaintext or TLS as {@code tls} says) that sends {@code apiKey} (if not blank)
   * with every call. Connecting is lazy: an unreachable server shows up as UNAVAILABLE on the first
   * call.
   */
  static ManagedChannel open(String address, BatonTls tls, String apiKey) {
    // A client command logs nothing itself; left alone, Netty's first logger would start Logback,
    // whose XML configuration costs a good part of the command's start-up. Netty's own warnings
    // still reach stderr through java.util.logging.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    return BatonChannels.open(address, tls, apiKey, "baton-cli");
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
