package dev.baton.cli.fault;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC API of one Baton server process. A restarted server gets a client of its own: a channel
 * that saw its server die may wait out a reconnect backoff.
 */
final class BatonApi implements AutoCloseable {
  private final ManagedChannel channel;

  BatonApi(String address) {
    channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
  }

  AgentExecution get(String id) {
    return stub().get(GetExecutionRequest.newBuilder().setId(id).build());
  }

  /** An execution without a callback token (nobody waits for it). */
  AgentExecution create(String agent, String message) {
    return stub()
        .create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent(agent).setMessage(message))
                .build());
  }

  /** Every execution created for the caller workflow {@code workflowId}. */
  List<AgentExecution> ofCaller(String workflowId) {
    return stub()
        .list(ListExecutionsRequest.newBuilder().setPageSize(1000).build())
        .getExecutionsList()
        .stream()
        .filter(e -> e.getSpec().getCaller().getWorkflowId().equals(workflowId))
        .toList();
  }

  /** The one execution of the caller workflow {@code workflowId}, once there is one. */
  Optional<AgentExecution> onlyOfCaller(String workflowId) {
    List<AgentExecution> executions = ofCaller(workflowId);
    if (executions.size() > 1) {
      throw new AssertionError(
          "caller " + workflowId + " has " + executions.size() + " executions: " + executions);
    }
    return executions.stream().findFirst();
  }

  // Generous: Create starts a workflow, and CI machines run several JVMs on two cores.
  private AgentExecutionServiceBlockingStub stub() {
    return AgentExecutionServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
