package dev.baton.cli.client;

import dev.baton.caller.BatonChannels;
import dev.baton.caller.BatonTls;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.internal.logging.InternalLoggerFactory;
import io.grpc.netty.shaded.io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens and closes the gRPC channel a CLI command talks to the server through.
 *
 * <p>The channel runs on an event loop of its own, stopped when the channel closes. With gRPC's
 * shared event loop, whose thread outlives the channel by a second, the JVM's exit waited 300 ms
 * for that thread to leave native code ({@code epoll_wait}) on every command.
 */
final class ChannelFactory {

  private static final long CLOSE_WAIT_SECONDS = 5;

  /** Netty's switch (as relocated in grpc-netty-shaded) for its buffer-allocation JFR events. */
  static final String NETTY_JFR_PROPERTY = "io.grpc.netty.shaded.io.netty.jfr.enabled";

  /**
   * gRPC's and Netty's java.util.logging parent. Held here because the logging framework keeps
   * loggers only weakly: a level set on a logger nobody references is lost with it.
   */
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  private ChannelFactory() {}

  /**
   * Opens a channel (plaintext or TLS as {@code tls} says) that sends {@code apiKey} (if not blank)
   * with every call. Connecting is lazy: an unreachable server shows up as UNAVAILABLE on the first
   * call. Unless {@code verbose}, gRPC's and Netty's own log records below SEVERE are dropped: the
   * command reports a failed call in one line of its own, and a warning with a stack trace of the
   * same failure (an unknown host, say) printed before it only buries it.
   */
  static OpenChannel open(String address, BatonTls tls, String apiKey, boolean verbose) {
    // A client command logs nothing itself; left alone, Netty's first logger would start Logback,
    // whose XML configuration costs a good part of the command's start-up. Netty's own records
    // go to java.util.logging with gRPC's.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    GRPC_LOGGER.setLevel(verbose ? null : Level.SEVERE);
    // Netty's allocator emits JFR events; the first one initializes the JDK's JFR metadata, which
    // cost a client command about 130 ms though nothing records them. -D on the command line wins.
    if (System.getProperty(NETTY_JFR_PROPERTY) == null) {
      System.setProperty(NETTY_JFR_PROPERTY, "false");
    }
    EventLoopGroup eventLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(address, BatonChannels.credentials(tls, apiKey))
            .eventLoopGroup(eventLoop)
            .channelType(NioSocketChannel.class);
    BatonChannels.configure(builder, tls, "baton-cli");
    return new OpenChannel(builder.build(), eventLoop);
  }

  /**
   * Cancels the channel's calls (e.g. a watch left open), waits briefly for it to close, then stops
   * its event loop.
   */
  static void close(OpenChannel open) {
    open.channel().shutdownNow();
    try {
      open.channel().awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      open.eventLoop()
          .shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
          .await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A channel and the event loop only it uses. */
  record OpenChannel(ManagedChannel channel, EventLoopGroup eventLoop) {}
}
