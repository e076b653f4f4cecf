package dev.baton.cli;

import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real {@link BatonServer} on free ports with embedded Temporal and SQLite, serving the
 * repository's example agents (copied with their scripts) plus any extra agents a test declares.
 */
public final class RealBatonServer implements AutoCloseable {

  /** The repository's example agents, seen from the {@code baton-cli} module directory. */
  public static final Path REPO_AGENTS = Path.of("..", "agents");

  private final BatonServer server;

  private RealBatonServer(BatonServer server) {
    this.server = server;
  }

  /**
   * Starts a server whose data lives under {@code home}.
   *
   * @param extraAgents YAML file name to YAML text, written beside the example agents
   */
  public static RealBatonServer start(Path home, Map<String, String> extraAgents) {
    return start(home, extraAgents, UnaryOperator.identity());
  }

  /** Starts a server like {@link #start(Path, Map)} with further settings (e.g. auth). */
  public static RealBatonServer start(
      Path home, Map<String, String> extraAgents, UnaryOperator<ServerConfig.Builder> settings) {
    Path agents = home.resolve("agents");
    try {
      copyTree(REPO_AGENTS, agents);
      for (Map.Entry<String, String> agent : extraAgents.entrySet()) {
        Files.writeString(agents.resolve(agent.getKey()), agent.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RealBatonServer(
        BatonServer.start(
            settings
                .apply(
                    ServerConfig.builder(home).port(0).embeddedTemporalPort(0).agentsPath(agents))
                .build()));
  }

  /** The address to pass as {@code --address}. */
  public String address() {
    return "127.0.0.1:" + server.port();
  }

  /** The server itself: its store and its Temporal client, for what the CLI cannot show. */
  public BatonServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }

  /** Copies a directory, keeping the scripts' executable bits. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
