package dev.baton.server.grpc;

import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import dev.baton.api.v1.Agent;
import dev.baton.api.v1.AgentServiceGrpc;
import dev.baton.api.v1.GetAgentRequest;
import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.api.v1.ListAgentsResponse;
import dev.baton.execution.AgentNotFoundException;
import io.grpc.stub.StreamObserver;

/** The baton.v1 AgentService: the agents this server can run. */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private final AgentCatalog agents;

  public AgentGrpcService(AgentCatalog agents) {
    this.agents = agents;
  }

  @Override
  public void list(ListAgentsRequest request, StreamObserver<ListAgentsResponse> observer) {
    GrpcErrors.unary(
        observer,
        () ->
            ListAgentsResponse.newBuilder()
                .addAllAgents(agents.list().stream().map(AgentGrpcService::toProto).toList())
                .build());
  }

  @Override
  public void get(GetAgentRequest request, StreamObserver<Agent> observer) {
    GrpcErrors.unary(
        observer,
        () ->
            agents
                .find(request.getName())
                .map(AgentGrpcService::toProto)
                .orElseThrow(
                    () ->
                        new AgentNotFoundException(
                            request.getName(),
                            agents.list().stream().map(AgentDefinition::name).toList())));
  }

  private static Agent toProto(AgentDefinition agent) {
    return Agent.newBuilder()
        .setName(agent.name())
        .setDescription(agent.description())
        .setRunner(agent.runner())
        .setTimeout(ExecutionProtoMapper.duration(agent.timeout()))
        .setOnCallerGone(ExecutionProtoMapper.onCallerGone(agent.onCallerGone()))
        .setMaxConcurrent(agent.maxConcurrent())
        .build();
  }
}
