package dev.baton.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents of a YAML file or directory ({@link YamlAgentCatalog}), read again when the files
 * change, so agents are added, changed and removed without a restart. A new set replaces the old
 * one whole, and only when every file is valid: files with a problem are logged (once per version
 * of them) and the server goes on with the agents it had.
 *
 * <p>Runs read the definition when they start: a changed agent applies to executions that start
 * after the change; a removed one is no longer offered, and its queued executions fail as not
 * runnable when their turn comes.
 */
public final class ReloadingAgentCatalog implements AgentCatalog {
  private static final Logger log = LoggerFactory.getLogger(ReloadingAgentCatalog.class);

  /** The version of files that are not there yet, e.g. an agents directory to be created. */
  private static final String ABSENT = "absent";

  private final Path path;
  private final AgentRunners runners;
  private final AgentCatalogObserver observer;
  private volatile YamlAgentCatalog current;
  private String version; // guarded by this: of the files last read, loaded or refused

  private ReloadingAgentCatalog(
      Path path,
      AgentRunners runners,
      AgentCatalogObserver observer,
      YamlAgentCatalog loaded,
      String version) {
    this.path = path;
    this.runners = runners;
    this.observer = observer;
    this.current = loaded;
    this.version = version;
    observer.agentsLoaded(loaded.list().size());
    observer.agentFilesRefused(false);
  }

  /**
   * Loads the agents of {@code path}; none while it does not exist (they load once it appears).
   *
   * @throws AgentCatalogException listing every problem of the files as they are now
   */
  public static ReloadingAgentCatalog load(
      Path path, AgentRunners runners, AgentCatalogObserver observer) {
    String version = version(path);
    YamlAgentCatalog loaded =
        version.equals(ABSENT)
            ? YamlAgentCatalog.of(List.of())
            : YamlAgentCatalog.load(path, runners);
    return new ReloadingAgentCatalog(path, runners, observer, loaded, version);
  }

  @Override
  public List<AgentDefinition> list() {
    return current.list();
  }

  @Override
  public Optional<AgentDefinition> find(String name) {
    return current.find(name);
  }

  /** What {@link #reload} did. */
  public enum Reload {
    /** The files are as last read. */
    UNCHANGED,
    /** The files changed and their agents replaced the old ones. */
    LOADED,
    /** The files changed and have problems (logged): the old agents stay. */
    REFUSED
  }

  /** Reads the files again if they changed since last read (the server calls it periodically). */
  public synchronized Reload reload() {
    String now = version(path);
    if (now.equals(version)) {
      return Reload.UNCHANGED;
    }
    version = now;
    YamlAgentCatalog loaded;
    try {
      loaded = now.equals(ABSENT) ? null : YamlAgentCatalog.load(path, runners);
    } catch (AgentCatalogException e) {
      log.warn(
          "agent files changed but were not loaded; still serving the {} agent(s) loaded before."
              + " Problems:\n  {}",
          current.list().size(),
          String.join("\n  ", e.problems()));
      observer.agentFilesRefused(true);
      return Reload.REFUSED;
    }
    if (loaded == null) {
      log.warn(
          "{} no longer exists; still serving the {} agent(s) loaded before",
          path,
          current.list().size());
      observer.agentFilesRefused(true);
      return Reload.REFUSED;
    }
    logChanges(current, loaded);
    current = loaded;
    observer.agentsLoaded(loaded.list().size());
    observer.agentFilesRefused(false);
    return Reload.LOADED;
  }

  private static void logChanges(YamlAgentCatalog before, YamlAgentCatalog after) {
    TreeSet<String> added = new TreeSet<>();
    TreeSet<String> changed = new TreeSet<>();
    TreeSet<String> removed = new TreeSet<>();
    for (AgentDefinition agent : after.list()) {
      Optional<AgentDefinition> old = before.find(agent.name());
      if (old.isEmpty()) {
        added.add(agent.name());
      } else if (!old.get().equals(agent)) {
        changed.add(agent.name());
      }
    }
    for (AgentDefinition agent : before.list()) {
      if (after.find(agent.name()).isEmpty()) {
        removed.add(agent.name());
      }
    }
    log.info(
        "agents reloaded: {} agent(s); added={} changed={} removed={}",
        after.list().size(),
        added,
        changed,
        removed);
  }

  /**
   * A digest of the agent files' names and contents (not their times: a rewrite with the same
   * content is no change), or of the problem listing them; {@link #ABSENT} when there are none.
   */
  static String version(Path path) {
    if (!Files.exists(path)) {
      return ABSENT;
    }
    MessageDigest digest = sha256();
    try {
      for (Path file : YamlAgentCatalog.files(path)) {
        digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(Files.readAllBytes(file));
        digest.update((byte) 0);
      }
    } catch (AgentCatalogException | IOException e) {
      digest.update(("unreadable: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
