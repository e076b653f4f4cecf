package dev.baton.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.baton.execution.ExecutionLimits;
import dev.baton.execution.OnCallerGone;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the agents of one YAML file: one agent mapping, or {@code agents:} with a list of them.
 * Problems are collected rather than thrown so that one load reports all of them.
 */
final class AgentFileReader {
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  private static final Set<String> FIELDS =
      Set.of(
          "name", "description", "runner", "timeout", "onCallerGone", "maxConcurrent", "settings");
  private static final String FIELD_LIST =
      "name, description, runner, timeout, onCallerGone, maxConcurrent, settings";
  private static final YAMLMapper YAML = yamlMapper();

  private final Path file;
  private final AgentRunners runners;
  private final List<String> problems;

  AgentFileReader(Path file, AgentRunners runners, List<String> problems) {
    this.file = file;
    this.runners = runners;
    this.problems = problems;
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    // A key written twice is almost always a mistake; the last one winning silently hides it.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /** The well-formed agents of the file; every problem found is added to the problem list. */
  List<AgentDefinition> read() {
    Optional<JsonNode> root = parse();
    if (root.isEmpty()) {
      return List.of();
    }
    JsonNode document = root.get();
    if (!document.isObject()) {
      problem(
          "expected an agent mapping or 'agents:' with a list of them, found " + kind(document));
      return List.of();
    }
    if (!document.has("agents")) {
      return readAgent(document, "the agent").stream().toList();
    }
    if (document.size() > 1) {
      problem(
          "a file with 'agents:' may hold nothing else; move the other fields into an agent of"
              + " the list");
      return List.of();
    }
    JsonNode list = document.get("agents");
    if (!list.isArray() || list.isEmpty()) {
      problem("'agents' must be a non-empty list of agent mappings, found " + kind(list));
      return List.of();
    }
    List<AgentDefinition> agents = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      readAgent(list.get(i), "agent #" + (i + 1)).ifPresent(agents::add);
    }
    return agents;
  }

  private Optional<JsonNode> parse() {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(reader)) {
      if (!documents.hasNext()) {
        problem("is empty; expected an agent mapping or 'agents:' with a list of them");
        return Optional.empty();
      }
      JsonNode first = documents.next();
      if (documents.hasNext()) {
        problem("holds several YAML documents; put several agents under 'agents:' instead");
        return Optional.empty();
      }
      if (first == null || first.isMissingNode() || first.isNull()) {
        problem("is empty; expected an agent mapping or 'agents:' with a list of them");
        return Optional.empty();
      }
      return Optional.of(first);
    } catch (JsonProcessingException e) {
      problem(yamlError(e));
      return Optional.empty();
    } catch (IOException e) {
      problem("cannot be read: " + e);
      return Optional.empty();
    } catch (RuntimeException e) {
      // Iterating wraps parse errors in an unchecked exception.
      problem(
          e.getCause() instanceof JsonProcessingException cause
              ? yamlError(cause)
              : "is not valid YAML: " + e.getMessage());
      return Optional.empty();
    }
  }

  private Optional<AgentDefinition> readAgent(JsonNode node, String label) {
    if (!node.isObject()) {
      problem(label + ": expected an agent mapping, found " + kind(node));
      return Optional.empty();
    }
    Optional<String> name = readName(node, label);
    String who = name.map(n -> "agent '" + n + "'").orElse(label);
    int before = problems.size();
    Iterator<String> fields = node.fieldNames();
    while (fields.hasNext()) {
      String field = fields.next();
      if (!FIELDS.contains(field)) {
        problem(who + ": unknown field '" + field + "'; expected one of " + FIELD_LIST);
      }
    }
    String description = text(node, "description", who).orElse("");
    Optional<String> runner = readRunner(node, who);
    Duration timeout = readTimeout(node, who);
    OnCallerGone onCallerGone = readOnCallerGone(node, who);
    int maxConcurrent = readMaxConcurrent(node, who);
    ObjectNode settings = readSettings(node, who);
    if (name.isEmpty() || runner.isEmpty() || problems.size() > before) {
      return Optional.empty();
    }
    AgentDefinition agent =
        new AgentDefinition(
            name.get(), description, runner.get(), settings, timeout, onCallerGone, maxConcurrent);
    try {
      runners.get(agent.runner()).validate(agent);
    } catch (IllegalArgumentException e) {
      problem(who + ": " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(agent);
  }

  private Optional<String> readName(JsonNode node, String label) {
    if (!node.has("name")) {
      problem(label + ": name is missing; expected e.g. name: summarize");
      return Optional.empty();
    }
    Optional<String> name = text(node, "name", label);
    if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
      problem(
          label
              + ": name '"
              + name.get()
              + "' is not valid; expected 1-63 lowercase letters, digits, '.', '_' or '-',"
              + " starting with a letter or digit");
      return Optional.empty();
    }
    return name;
  }

  private Optional<String> readRunner(JsonNode node, String who) {
    if (!node.has("runner")) {
      problem(who + ": runner is missing; expected one of " + runners.describeTypes());
      return Optional.empty();
    }
    Optional<String> runner = text(node, "runner", who);
    if (runner.isPresent() && runners.find(runner.get()).isEmpty()) {
      problem(
          who
              + ": runner '"
              + runner.get()
              + "' is unknown; expected one of "
              + runners.describeTypes());
      return Optional.empty();
    }
    return runner;
  }

  private Duration readTimeout(JsonNode node, String who) {
    JsonNode value = node.get("timeout");
    if (value == null) {
      return DEFAULT_TIMEOUT;
    }
    String text = value.isValueNode() ? value.asText() : kind(value);
    Optional<Duration> timeout = value.isTextual() ? Durations.parse(text) : Optional.empty();
    if (timeout.isEmpty()) {
      problem(
          who
              + ": timeout '"
              + text
              + "' is not a duration; expected e.g. 30s, 5m, 1h or PT5M"
              + (value.isNumber() ? " (a unit is required)" : ""));
      return DEFAULT_TIMEOUT;
    }
    if (timeout.get().isNegative() || timeout.get().isZero()) {
      problem(who + ": timeout '" + text + "' must be positive; expected e.g. 30s, 5m, 1h or PT5M");
      return DEFAULT_TIMEOUT;
    }
    if (timeout.get().compareTo(ExecutionLimits.MAX_TIMEOUT) > 0) {
      // As a request's timeout: a longer deadline would outlive what Baton bounds a run by.
      problem(
          who
              + ": timeout '"
              + text
              + "' is longer than "
              + Durations.format(ExecutionLimits.MAX_TIMEOUT)
              + ", the longest an agent may run");
      return DEFAULT_TIMEOUT;
    }
    return timeout.get();
  }

  private OnCallerGone readOnCallerGone(JsonNode node, String who) {
    Optional<String> value = text(node, "onCallerGone", who);
    if (value.isEmpty()) {
      return OnCallerGone.CANCEL;
    }
    return switch (value.get()) {
      case "cancel" -> OnCallerGone.CANCEL;
      case "continue" -> OnCallerGone.CONTINUE;
      default -> {
        problem(
            who + ": onCallerGone '" + value.get() + "' is not valid; expected cancel or continue");
        yield OnCallerGone.CANCEL;
      }
    };
  }

  private int readMaxConcurrent(JsonNode node, String who) {
    JsonNode value = node.get("maxConcurrent");
    if (value == null || value.isNull()) {
      return AgentDefinition.SERVER_DEFAULT_CONCURRENCY;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      problem(
          who
              + ": maxConcurrent must be a whole number of 1 or more (executions of this agent"
              + " that run at once), found "
              + kind(value));
      return AgentDefinition.SERVER_DEFAULT_CONCURRENCY;
    }
    return value.intValue();
  }

  private ObjectNode readSettings(JsonNode node, String who) {
    JsonNode value = node.get("settings");
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    if (value != null && !value.isNull()) {
      if (!value.isObject()) {
        problem(
            who + ": settings must be a mapping of the runner's settings, found " + kind(value));
        return settings;
      }
      Iterator<String> keys = value.fieldNames();
      while (keys.hasNext()) {
        String key = keys.next();
        if (AgentSettings.isReserved(key)) {
          problem(who + ": settings." + key + " is reserved for Baton; choose a name without '$'");
        }
      }
      settings.setAll((ObjectNode) value.deepCopy());
    }
    Path directory = file.toAbsolutePath().normalize().getParent();
    settings.put(AgentSettings.BASE_DIRECTORY, directory.toString());
    return settings;
  }

  /** A field that must be a string when present. */
  private Optional<String> text(JsonNode node, String field, String who) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      problem(who + ": " + field + " must be a string, found " + kind(value));
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private void problem(String message) {
    problems.add(file + ": " + message);
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a mapping";
      case NULL, MISSING -> "nothing";
      case STRING -> "'" + node.asText() + "'";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + node.asText();
    };
  }

  /** The first line of the parser's message (the rest draws the spot) and where it is. */
  private static String yamlError(JsonProcessingException e) {
    String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
    String where =
        e.getLocation() == null
            ? ""
            : " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    return "is not valid YAML: " + message + where;
  }
}
