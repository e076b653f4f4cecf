package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.Durations;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A local program the model may call, declared in {@code settings.tools}.
 *
 * @param name what the model calls it by
 * @param description what it does, for the model
 * @param parameters the JSON schema (an object) of its arguments
 * @param command program and arguments, started without a shell
 * @param timeout how long one call may take before it is stopped and reported as an error
 * @param baseDirectory what a program path with a slash resolves against, or {@code null}
 */
record CommandTool(
    String name,
    String description,
    ObjectNode parameters,
    List<String> command,
    Duration timeout,
    Path baseDirectory) {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Set<String> FIELDS =
      Set.of("name", "description", "parameters", "command", "timeout");
  private static final Set<String> SCHEMA_FIELDS =
      Set.of("type", "description", "properties", "required", "additionalProperties");

  /**
   * Reads {@code settings.tools[index]}.
   *
   * @throws IllegalArgumentException naming the setting that is wrong and what was expected
   */
  static CommandTool of(JsonNode node, int index, Path baseDirectory) {
    String where = "settings.tools[" + index + "]";
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          where + " must be a mapping with name, description, parameters and command");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + where
                + "."
                + field.getKey()
                + "'; a tool has name, description, parameters, command and timeout");
      }
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
      throw new IllegalArgumentException(
          where + ".name must be 1-64 letters, digits, '_' or '-', e.g. name: get_weather");
    }
    where = "settings.tools[" + index + "] (" + name.asText() + ")";
    JsonNode description = node.get("description");
    if (description != null && !description.isTextual()) {
      throw new IllegalArgumentException(where + ".description must be a string");
    }
    return new CommandTool(
        name.asText(),
        description == null ? "" : description.asText(),
        parameters(node.get("parameters"), where),
        command(node.get("command"), where),
        timeout(node.get("timeout"), where),
        baseDirectory);
  }

  /** What the model is told about this tool. */
  ToolSpecification specification() {
    JsonObjectSchema.Builder schema = JsonObjectSchema.builder();
    if (parameters.hasNonNull("description")) {
      schema.description(parameters.get("description").asText());
    }
    JsonNode properties = parameters.get("properties");
    if (properties != null) {
      // Each property's schema is passed on as written, keywords and all.
      properties
          .properties()
          .forEach(
              p -> schema.addProperty(p.getKey(), JsonRawSchema.from(p.getValue().toString())));
    }
    JsonNode required = parameters.get("required");
    if (required != null) {
      List<String> names = new ArrayList<>();
      required.forEach(r -> names.add(r.asText()));
      schema.required(names);
    }
    JsonNode additional = parameters.get("additionalProperties");
    if (additional != null) {
      schema.additionalProperties(additional.asBoolean());
    }
    return ToolSpecification.builder()
        .name(name)
        .description(description.isEmpty() ? null : description)
        .parameters(schema.build())
        .build();
  }

  private static ObjectNode parameters(JsonNode node, String where) {
    String example = "e.g. parameters: {type: object, properties: {city: {type: string}}}";
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(
          where + ".parameters is missing; expected the JSON schema of the arguments, " + example);
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          where + ".parameters must be a JSON schema of type object, " + example);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!SCHEMA_FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException(
            where
                + ".parameters."
                + field.getKey()
                + " is not supported at the top level; expected type, description, properties,"
                + " required and additionalProperties (keywords inside properties are passed on)");
      }
    }
    JsonNode type = node.get("type");
    if (type != null && !"object".equals(type.asText())) {
      throw new IllegalArgumentException(
          where + ".parameters.type must be object (tool arguments are a JSON object), " + example);
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      if (!properties.isObject()) {
        throw new IllegalArgumentException(
            where + ".parameters.properties must map argument names to schemas, " + example);
      }
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        if (!property.getValue().isObject()) {
          throw new IllegalArgumentException(
              where
                  + ".parameters.properties."
                  + property.getKey()
                  + " must be a schema mapping, e.g. {type: string}");
        }
      }
    }
    JsonNode required = node.get("required");
    if (required != null) {
      if (!required.isArray()) {
        throw new IllegalArgumentException(
            where + ".parameters.required must be a list of argument names");
      }
      for (JsonNode entry : required) {
        if (!entry.isTextual() || properties == null || !properties.has(entry.asText())) {
          throw new IllegalArgumentException(
              where
                  + ".parameters.required names '"
                  + entry.asText()
                  + "', which is not in parameters.properties");
        }
      }
    }
    JsonNode additional = node.get("additionalProperties");
    if (additional != null && !additional.isBoolean()) {
      throw new IllegalArgumentException(
          where + ".parameters.additionalProperties must be true or false");
    }
    return node.deepCopy();
  }

  private static List<String> command(JsonNode node, String where) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(
          where
              + ".command must be a non-empty list of the program and its arguments (it is never"
              + " run through a shell), e.g. command: [./bin/weather.sh]");
    }
    List<String> command = new ArrayList<>();
    for (JsonNode part : node) {
      if (!part.isValueNode() || part.isNull() || part.asText().indexOf('\0') >= 0) {
        throw new IllegalArgumentException(where + ".command entries must be strings");
      }
      command.add(part.asText());
    }
    if (command.get(0).isBlank()) {
      throw new IllegalArgumentException(where + ".command starts with an empty program name");
    }
    return List.copyOf(command);
  }

  private static Duration timeout(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return DEFAULT_TIMEOUT;
    }
    Duration timeout =
        node.isTextual() ? Durations.parse(node.asText()).orElse(Duration.ZERO) : Duration.ZERO;
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException(
          where + ".timeout must be a positive duration, e.g. 30s or 2m; found " + node);
    }
    return timeout;
  }
}
