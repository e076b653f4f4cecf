package dev.baton.cli;

import dev.baton.api.v1.Agent;
import dev.baton.api.v1.AgentServiceGrpc.AgentServiceImplBase;
import dev.baton.api.v1.GetAgentRequest;
import dev.baton.api.v1.ListAgentsRequest;
import dev.baton.api.v1.ListAgentsResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An AgentService that serves the agents a test gives it. */
public final class FakeAgentService extends AgentServiceImplBase {

  private final List<Agent> agents = new CopyOnWriteArrayList<>();

  public void add(Agent... more) {
    agents.addAll(List.of(more));
  }

  @Override
  public void list(ListAgentsRequest request, StreamObserver<ListAgentsResponse> response) {
    response.onNext(ListAgentsResponse.newBuilder().addAllAgents(agents).build());
    response.onCompleted();
  }

  @Override
  public void get(GetAgentRequest request, StreamObserver<Agent> response) {
    agents.stream()
        .filter(agent -> agent.getName().equals(request.getName()))
        .findFirst()
        .ifPresentOrElse(
            agent -> {
              response.onNext(agent);
              response.onCompleted();
            },
            () ->
                response.onError(
                    Status.NOT_FOUND
                        .withDescription("no agent named " + request.getName())
                        .asRuntimeException()));
  }
}
