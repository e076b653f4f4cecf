package dev.baton.server.temporal;

import dev.baton.server.AddressInUse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.InProcessGRPCServer;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server (the real Temporal API, state in memory) bound to a loopback port, so
 * caller workers in other processes can reach it. Time runs normally (no time skipping). Everything
 * in it is lost when the process ends; Baton's reconciler handles what was running. Two
 * shortcomings of the test server are worked around: {@link NonStickyWorkflowTasks} and {@link
 * TimerLockLog}.
 *
 * <p>Baton's own client and workers, in the same process, reach it through {@link
 * #inProcessChannel()} instead of the port: the same services without the loopback socket, HTTP/2
 * framing and protobuf encoding of every call (gRPC's in-process transport hands the message
 * objects over), which is a large share of the CPU of a call on the embedded stack.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;
  private final Server inProcessServer;
  private final ManagedChannel inProcessChannel;

  private EmbeddedTemporal(
      TestServicesStarter services, Server server, Server inProcessServer, String inProcessName) {
    this.services = services;
    this.server = server;
    this.inProcessServer = inProcessServer;
    this.inProcessChannel = InProcessChannelBuilder.forName(inProcessName).build();
  }

  /** Starts it on {@code 127.0.0.1:port}; port 0 picks a free one. */
  public static EmbeddedTemporal start(int port) {
    // lockTimeSkipping=true: time advances with the wall clock, as in a real cluster.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    TimerLockLog.stopRecording(services);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    // Workers in other processes come and go; see NonStickyWorkflowTasks.
    ServerInterceptor nonSticky = new NonStickyWorkflowTasks();
    builder.intercept(nonSticky);
    String inProcessName = InProcessServerBuilder.generateName();
    InProcessServerBuilder inProcess = InProcessServerBuilder.forName(inProcessName);
    // In-process calls skip the transport's message size limit: the checker keeps it.
    List<ServerInterceptor> inProcessInterceptors =
        List.of(nonSticky, new InProcessGRPCServer.MessageSizeChecker());
    GRPCServerHelper.registerServicesAndHealthChecks(
        services.getServices(), inProcess, inProcessInterceptors);
    Server started = null;
    try {
      started = builder.build().start();
      return new EmbeddedTemporal(services, started, inProcess.build().start(), inProcessName);
    } catch (IOException e) {
      if (started != null) {
        started.shutdownNow();
      }
      services.close();
      if (AddressInUse.causedBy(e)) {
        throw new IllegalStateException(
            "cannot start the embedded Temporal on 127.0.0.1:"
                + port
                + ": the port is in use. Stop what uses it, choose another port with"
                + " --embedded-temporal-port, or use an existing Temporal with --temporal-address",
            e);
      }
      throw new UncheckedIOException(e);
    }
  }

  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  /** A channel to the same services for clients in this process; closed with this server. */
  public ManagedChannel inProcessChannel() {
    return inProcessChannel;
  }

  @Override
  public void close() {
    inProcessChannel.shutdownNow();
    inProcessServer.shutdownNow();
    server.shutdownNow();
    try {
      inProcessChannel.awaitTermination(5, TimeUnit.SECONDS);
      inProcessServer.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
