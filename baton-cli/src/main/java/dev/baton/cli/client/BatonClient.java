package dev.baton.cli.client;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub;
import dev.baton.api.v1.AgentServiceGrpc;
import dev.baton.api.v1.AgentServiceGrpc.AgentServiceBlockingStub;
import dev.baton.caller.BatonTls;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Baton server for the length of one command. Unary stubs carry the command's RPC
 * timeout, counted from the moment the stub is asked for; streaming stubs carry none.
 */
public final class BatonClient implements AutoCloseable {

  private final ChannelFactory.OpenChannel open;
  private final ManagedChannel channel;
  private final Duration rpcTimeout;

  private BatonClient(ChannelFactory.OpenChannel open, Duration rpcTimeout) {
    this.open = open;
    this.channel = open.channel();
    this.rpcTimeout = rpcTimeout;
  }

  static BatonClient connect(
      String address, Duration rpcTimeout, BatonTls tls, String apiKey, boolean verbose) {
    return new BatonClient(ChannelFactory.open(address, tls, apiKey, verbose), rpcTimeout);
  }

  /** A stub for one unary execution call, with the RPC timeout as its deadline. */
  public AgentExecutionServiceBlockingStub executions() {
    return AgentExecutionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A stub for streaming execution calls (Watch), without a deadline. */
  public AgentExecutionServiceBlockingStub executionStreams() {
    return AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  /** A stub for one unary agent call, with the RPC timeout as its deadline. */
  public AgentServiceBlockingStub agents() {
    return AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    ChannelFactory.close(open);
  }
}
