package dev.baton.cli;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server on a free loopback port that hosts {@link FakeExecutionService} and {@link
 * FakeAgentService}, standing in for {@code baton server}.
 */
public final class FakeBatonServer implements AutoCloseable {

  private final FakeExecutionService executions = new FakeExecutionService();
  private final FakeAgentService agents = new FakeAgentService();
  private final Server server;

  private FakeBatonServer() {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(executions)
            .addService(agents)
            .build();
  }

  /** Starts a server on a free port. */
  public static FakeBatonServer start() {
    FakeBatonServer fake = new FakeBatonServer();
    try {
      fake.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return fake;
  }

  /** The address to pass as {@code --address}. */
  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  public FakeExecutionService executions() {
    return executions;
  }

  public FakeAgentService agents() {
    return agents;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
