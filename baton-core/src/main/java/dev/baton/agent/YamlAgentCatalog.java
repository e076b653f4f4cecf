package dev.baton.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents declared in YAML files. Immutable once loaded.
 *
 * <p>A file holds one agent, or {@code agents:} with a list of them:
 *
 * <pre>{@code
 * name: summarize                # required, [a-z0-9][a-z0-9._-]{0,62}, unique across files
 * description: Summarises a text
 * runner: command                # required, a type known to AgentRunners
 * timeout: 5m                    # 500ms, 30s, 5m, 2h, 1h30m or PT5M; default 10m
 * onCallerGone: cancel           # cancel (default) or continue
 * maxConcurrent: 4               # executions that run at once; more wait PENDING (default: server)
 * settings:                      # the runner's own settings
 *   command: [./bin/summarize.sh]
 * }</pre>
 *
 * <p>Unknown fields are errors, so a typo never silently falls back to a default. Each agent's
 * directory is put into its settings under {@link AgentSettings#BASE_DIRECTORY} so that runners
 * resolve relative paths against the file, and each runner {@link AgentRunner#validate validates}
 * its agents at load time.
 */
public final class YamlAgentCatalog implements AgentCatalog {
  private static final Logger log = LoggerFactory.getLogger(YamlAgentCatalog.class);

  private final Map<String, AgentDefinition> byName;

  private YamlAgentCatalog(Map<String, AgentDefinition> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /**
   * Loads a YAML file, or every {@code *.yaml} and {@code *.yml} file directly inside a directory
   * (not its sub-directories), in name order.
   *
   * @throws AgentCatalogException listing every problem found, each naming file, agent and field
   */
  public static YamlAgentCatalog load(Path fileOrDirectory, AgentRunners runners) {
    List<String> problems = new ArrayList<>();
    Map<String, AgentDefinition> byName = new TreeMap<>();
    Map<String, Path> declaredIn = new TreeMap<>();
    for (Path file : files(fileOrDirectory)) {
      for (AgentDefinition agent : new AgentFileReader(file, runners, problems).read()) {
        Path previous = declaredIn.putIfAbsent(agent.name(), file);
        if (previous != null) {
          problems.add(
              file
                  + ": agent '"
                  + agent.name()
                  + "': name is already used by an agent in "
                  + previous
                  + "; agent names must be unique");
        } else {
          byName.put(agent.name(), agent);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AgentCatalogException(problems);
    }
    log.info("Loaded {} agent(s) from {}: {}", byName.size(), fileOrDirectory, byName.keySet());
    return new YamlAgentCatalog(byName);
  }

  /** A catalog of these agents, e.g. for tests. */
  public static YamlAgentCatalog of(Collection<AgentDefinition> agents) {
    Map<String, AgentDefinition> byName = new TreeMap<>();
    for (AgentDefinition agent : agents) {
      if (byName.put(agent.name(), agent) != null) {
        throw new IllegalArgumentException("agent '" + agent.name() + "' is declared twice");
      }
    }
    return new YamlAgentCatalog(byName);
  }

  @Override
  public List<AgentDefinition> list() {
    return List.copyOf(byName.values());
  }

  @Override
  public Optional<AgentDefinition> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  static List<Path> files(Path fileOrDirectory) {
    if (Files.isRegularFile(fileOrDirectory)) {
      return List.of(fileOrDirectory);
    }
    if (!Files.isDirectory(fileOrDirectory)) {
      throw new AgentCatalogException(
          List.of(
              fileOrDirectory
                  + ": no such file or directory; expected a YAML file or a directory of them"));
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fileOrDirectory)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if ((name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(entry)) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new AgentCatalogException(List.of(fileOrDirectory + ": cannot be listed: " + e));
    }
    if (files.isEmpty()) {
      throw new AgentCatalogException(
          List.of(
              fileOrDirectory + ": holds no *.yaml or *.yml files; expected agent definitions"));
    }
    files.sort(null);
    return files;
  }
}
