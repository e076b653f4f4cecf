package dev.baton.server.temporal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server (the real Temporal API, state in memory) bound to a loopback port, so
 * caller workers in other processes can reach it. Time runs normally (no time skipping). Everything
 * in it is lost when the process ends; Baton's reconciler handles what was running. Two
 * shortcomings of the test server are worked around: {@link NonStickyWorkflowTasks} and {@link
 * TimerLockLog}.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
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
    builder.intercept(new NonStickyWorkflowTasks());
    try {
      return new EmbeddedTemporal(services, builder.build().start());
    } catch (IOException e) {
      services.close();
      if (e instanceof BindException || e.getCause() instanceof BindException) {
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

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
