package dev.baton.cli.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Protobuf JSON as scripts read it: the canonical proto3 JSON mapping, printed plainly. Protobuf's
 * printer escapes {@code = < > & '} as {@code \u003d} and the like (HTML-safe), and prints every
 * number of a {@code google.protobuf.Struct} (an agent's structured output) as a double ({@code
 * 1.0}); here strings keep those characters and a number that is a whole number up to 2^53 (the
 * integers a double holds exactly) prints as one ({@code 1}).
 */
final class JsonOutput {

  private static final JsonFormat.Printer PROTO = JsonFormat.printer();
  private static final Gson PRETTY =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();
  private static final Gson COMPACT =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
  private static final BigDecimal LARGEST_EXACT = BigDecimal.valueOf(1L << 53);

  private JsonOutput() {}

  /** An indented JSON document. */
  static String pretty(MessageOrBuilder message) {
    return print(PROTO, message, PRETTY);
  }

  /**
   * An indented JSON document in which the fields of {@code counted} messages are printed even at
   * zero or empty, so that a script reading a count gets 0, not a missing field. Only for messages
   * of counts: printing every default would also print a spec's empty {@code callbackToken}.
   */
  static String prettyWithZeros(MessageOrBuilder message, Descriptor... counted) {
    Set<FieldDescriptor> fields =
        Arrays.stream(counted)
            .flatMap(type -> type.getFields().stream())
            .collect(Collectors.toUnmodifiableSet());
    return print(PROTO.includingDefaultValueFields(fields), message, PRETTY);
  }

  /** JSON on a single line, for streams of one object per line. */
  static String line(MessageOrBuilder message) {
    return print(PROTO, message, COMPACT);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message, Gson layout) {
    String json;
    try {
      json = printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
    return layout.toJson(plain(JsonParser.parseString(json)));
  }

  /** The same tree with whole numbers as integers (protobuf prints none but Struct's as 1.0). */
  private static JsonElement plain(JsonElement element) {
    if (element.isJsonObject()) {
      JsonObject object = new JsonObject();
      for (Map.Entry<String, JsonElement> field : element.getAsJsonObject().entrySet()) {
        object.add(field.getKey(), plain(field.getValue()));
      }
      return object;
    }
    if (element.isJsonArray()) {
      JsonArray array = new JsonArray();
      element.getAsJsonArray().forEach(item -> array.add(plain(item)));
      return array;
    }
    if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
      BigDecimal number = element.getAsBigDecimal();
      if (number.abs().compareTo(LARGEST_EXACT) <= 0 && number.stripTrailingZeros().scale() <= 0) {
        return new JsonPrimitive(number.toBigIntegerExact());
      }
    }
    return element;
  }
}
