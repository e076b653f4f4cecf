package dev.baton.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentSettings;
import dev.baton.agent.Secrets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a {@code command} agent, checked.
 *
 * @param command program and arguments; never empty
 * @param workingDirectory where the process runs, or {@code null} for a fresh temporary directory
 *     per execution
 * @param env variables added to the minimal environment the process gets (PATH, HOME, LANG, TZ and
 *     Baton's BATON_* variables); the server's other variables are not passed on
 * @param baseDirectory what relative paths resolve against, or {@code null} for the server's
 *     directory
 * @param keepWorkingDirectory whether the fresh temporary directory stays after the run (for
 *     debugging); it is removed by default
 */
record CommandSettings(
    List<String> command,
    Path workingDirectory,
    Map<String, String> env,
    Path baseDirectory,
    boolean keepWorkingDirectory) {
  private static final Set<String> FIELDS =
      Set.of("command", "workingDirectory", "env", "keepWorkingDirectory");
  private static final String EXAMPLE = "e.g. command: [./bin/agent.sh, --verbose]";

  /**
   * Reads the settings of an agent.
   *
   * @throws IllegalArgumentException naming the setting that is wrong and what was expected
   */
  static CommandSettings of(AgentDefinition agent) {
    Path base = AgentSettings.baseDirectory(agent).orElse(null);
    for (String key : agent.settings().propertyStream().map(Map.Entry::getKey).toList()) {
      if (!FIELDS.contains(key) && !AgentSettings.isReserved(key)) {
        throw new IllegalArgumentException(
            "unknown setting 'settings."
                + key
                + "'; the command runner expects command, workingDirectory, env and"
                + " keepWorkingDirectory");
      }
    }
    return new CommandSettings(
        command(agent.settings().get("command")),
        workingDirectory(agent.settings().get("workingDirectory"), base),
        env(agent.settings().get("env")),
        base,
        keepWorkingDirectory(agent.settings().get("keepWorkingDirectory")));
  }

  private static boolean keepWorkingDirectory(JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(
          "settings.keepWorkingDirectory must be true or false; found " + describe(node));
    }
    return node.asBoolean();
  }

  private static List<String> command(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(
          "settings.command is missing; expected a list of the program and its arguments, "
              + EXAMPLE);
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(
          "settings.command must be a non-empty list of the program and its arguments (it is"
              + " never run through a shell), "
              + EXAMPLE
              + "; found "
              + describe(node));
    }
    List<String> command = new ArrayList<>();
    for (JsonNode part : node) {
      if (!part.isValueNode() || part.isNull()) {
        throw new IllegalArgumentException(
            "settings.command entries must be strings; found " + describe(part));
      }
      command.add(part.asText());
    }
    if (command.get(0).isBlank() || command.get(0).indexOf('\0') >= 0) {
      throw new IllegalArgumentException("settings.command starts with an empty program name");
    }
    return List.copyOf(command);
  }

  private static Path workingDirectory(JsonNode node, Path base) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IllegalArgumentException(
          "settings.workingDirectory must be a directory path; found " + describe(node));
    }
    try {
      return resolve(base, node.asText());
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "settings.workingDirectory '" + node.asText() + "' is not a valid path", e);
    }
  }

  private static Map<String, String> env(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "settings.env must be a mapping of variable names to values, e.g. env: {LANG: C.UTF-8};"
              + " found "
              + describe(node));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "settings.env has an invalid variable name '" + name + "'");
      }
      if (name.startsWith("BATON_")) {
        throw new IllegalArgumentException(
            "settings.env." + name + " is reserved: Baton sets BATON_* variables itself");
      }
      if (!value.isValueNode() || value.isNull() || value.asText().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "settings.env." + name + " must be a string; found " + describe(value));
      }
      try {
        Secrets.checkReferences(value.asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("settings.env." + name + ": " + e.getMessage(), e);
      }
      env.put(name, value.asText());
    }
    return Map.copyOf(env);
  }

  /**
   * The program to start: a name with a slash resolves against the base directory, a bare name is
   * looked up on {@code PATH}.
   *
   * @return empty when it is not found, with the reason in {@code why}
   */
  Optional<Path> program(String path, StringBuilder why) {
    String program = command.get(0);
    if (program.indexOf('/') >= 0) {
      Path resolved = resolve(baseDirectory, program);
      return runnable(resolved, program, why);
    }
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path resolved = resolve(workingDirectory, dir).resolve(program);
        if (Files.isRegularFile(resolved) && Files.isExecutable(resolved)) {
          return Optional.of(resolved);
        }
      }
    }
    why.append("program '")
        .append(program)
        .append("' was not found on PATH (")
        .append(path)
        .append("); install it, or give a path such as ./bin/")
        .append(program);
    return Optional.empty();
  }

  private static Optional<Path> runnable(Path resolved, String program, StringBuilder why) {
    if (!Files.exists(resolved)) {
      why.append("program '").append(program).append("' does not exist (").append(resolved);
      why.append(')');
    } else if (!Files.isRegularFile(resolved)) {
      why.append("program '").append(program).append("' is not a file (").append(resolved);
      why.append(')');
    } else if (!Files.isExecutable(resolved)) {
      why.append("program '").append(program).append("' is not executable (").append(resolved);
      why.append("); make it so with chmod +x");
    } else {
      return Optional.of(resolved);
    }
    return Optional.empty();
  }

  private static Path resolve(Path base, String path) {
    Path given = Path.of(path);
    if (given.isAbsolute() || base == null) {
      return given.toAbsolutePath().normalize();
    }
    return base.resolve(given).toAbsolutePath().normalize();
  }

  private static String describe(JsonNode node) {
    return node.isContainerNode() ? node.toString() : "'" + node.asText() + "'";
  }
}
