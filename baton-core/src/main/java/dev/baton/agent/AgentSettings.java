package dev.baton.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Keys that Baton itself puts into an agent's {@link AgentDefinition#settings() settings}, beside
 * the ones the YAML author wrote. Authors may not use them.
 */
public final class AgentSettings {

  /**
   * The absolute directory of the YAML file that declared the agent, so that runners resolve
   * relative paths against it rather than against wherever the server was started.
   */
  public static final String BASE_DIRECTORY = "$baseDirectory";

  private AgentSettings() {}

  /** The directory relative paths in this agent's settings resolve against, if it is known. */
  public static Optional<Path> baseDirectory(AgentDefinition agent) {
    JsonNode node = agent.settings().get(BASE_DIRECTORY);
    return node != null && node.isTextual()
        ? Optional.of(Path.of(node.asText()))
        : Optional.empty();
  }

  /**
   * Checks that the agent's settings hold only the runner's one setting (besides Baton's own).
   *
   * @throws IllegalArgumentException naming the first other setting
   */
  public static void requireOnly(AgentDefinition agent, String runner, String setting) {
    Iterator<String> keys = agent.settings().fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!isReserved(key) && !setting.equals(key)) {
        throw new IllegalArgumentException(
            "settings."
                + key
                + " is not a setting of the "
                + runner
                + " runner; expected only "
                + setting);
      }
    }
  }

  /** Whether a settings key is reserved for Baton. */
  public static boolean isReserved(String key) {
    return key.startsWith("$");
  }
}
