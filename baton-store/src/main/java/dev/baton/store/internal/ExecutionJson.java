package dev.baton.store.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.ExecutionStatus;
import java.util.Map;

/**
 * The JSON stored in the labels, spec and status columns: Instants and Durations as ISO-8601
 * strings. Unknown properties are ignored so an older server can read rows a newer one wrote. Each
 * NUL in a string is written as U+FFFD (see {@link StoredText}).
 */
public final class ExecutionJson {
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final ObjectMapper mapper =
      JsonMapper.builder(new JsonFactoryBuilder().characterEscapes(StoredText.JSON_ESCAPES).build())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  public String write(Map<String, String> labels) {
    return toJson(labels);
  }

  public String write(ExecutionSpec spec) {
    return toJson(spec);
  }

  public String write(ExecutionStatus status) {
    return toJson(status);
  }

  /**
   * {@code status} as it reads back from {@code written}, its JSON: where a NUL became U+FFFD, the
   * status as stored, so that a writer returns what readers will see.
   */
  public ExecutionStatus asStored(ExecutionStatus status, String written) {
    return written.indexOf(StoredText.REPLACEMENT) < 0 ? status : readStatus(written);
  }

  public Map<String, String> readLabels(String json) {
    try {
      return mapper.readValue(json, LABELS);
    } catch (JsonProcessingException e) {
      throw unreadable("labels", e);
    }
  }

  public ExecutionSpec readSpec(String json) {
    return read(json, ExecutionSpec.class, "spec");
  }

  public ExecutionStatus readStatus(String json) {
    return read(json, ExecutionStatus.class, "status");
  }

  private String toJson(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private <T> T read(String json, Class<T> type, String column) {
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw unreadable(column, e);
    }
  }

  private static IllegalStateException unreadable(String column, JsonProcessingException e) {
    // The message names the column only: the JSON may hold a prompt that must not reach logs.
    return new IllegalStateException(
        "stored " + column + " JSON cannot be read: " + e.getOriginalMessage(), e);
  }
}
