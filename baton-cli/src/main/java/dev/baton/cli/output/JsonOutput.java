package dev.baton.cli.output;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Protobuf JSON as scripts read it (the canonical proto3 JSON mapping). */
final class JsonOutput {

  private static final JsonFormat.Printer PRETTY = JsonFormat.printer();
  private static final JsonFormat.Printer COMPACT = PRETTY.omittingInsignificantWhitespace();

  private JsonOutput() {}

  /** An indented JSON document. */
  static String pretty(MessageOrBuilder message) {
    return print(PRETTY, message);
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
    return print(PRETTY.includingDefaultValueFields(fields), message);
  }

  /** JSON on a single line, for streams of one object per line. */
  static String line(MessageOrBuilder message) {
    return print(COMPACT, message);
  }

  private static String print(JsonFormat.Printer printer, MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
