package dev.baton.examples;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded stack the examples run against in tests: a real Baton server (embedded Temporal,
 * SQLite, free ports) serving the repository's agents plus a {@code slow} one, and an {@link
 * ExampleWorker} connected to it as to any server.
 */
final class EmbeddedBaton implements AutoCloseable {
  private static final Path REPO_AGENTS = Path.of("..", "agents");
  private static final String SLOW_AGENT =
      """
      name: slow
      description: Never answers in time
      runner: command
      timeout: 5m
      settings:
        command: [sleep, "600"]
      """;

  private final BatonServer server;
  private final ManagedChannel channel;
  final ExampleWorker worker;

  private EmbeddedBaton(Path home) {
    Path agents = home.resolve("agents");
    copyAgents(agents);
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .metricsPort(0)
                .agentsPath(agents)
                .build());
    String batonAddress = "127.0.0.1:" + server.port();
    channel = NettyChannelBuilder.forTarget(batonAddress).usePlaintext().build();
    worker = ExampleWorker.start(server.temporalTarget(), server.temporalNamespace(), batonAddress);
  }

  static EmbeddedBaton start(Path home) {
    return new EmbeddedBaton(home);
  }

  /** The executions of {@code agent}, newest first, as {@code baton exec list --agent} shows. */
  List<AgentExecution> executionsOf(String agent) {
    return AgentExecutionServiceGrpc.newBlockingStub(channel)
        .list(ListExecutionsRequest.newBuilder().setAgent(agent).build())
        .getExecutionsList();
  }

  @Override
  public void close() {
    worker.close();
    channel.shutdownNow();
    server.close();
  }

  /** The repository's agents (scripts keep their executable bits) and the slow agent. */
  static void copyAgents(Path to) {
    try (Stream<Path> paths = Files.walk(REPO_AGENTS)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(REPO_AGENTS.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
      Files.writeString(to.resolve("slow.yaml"), SLOW_AGENT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
