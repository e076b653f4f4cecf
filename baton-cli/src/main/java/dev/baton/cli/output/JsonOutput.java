package dev.baton.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * Protobuf JSON as scripts read it (the canonical proto3 JSON mapping), zero values included: a
 * count of 0 prints as {@code 0}, not as a missing field that {@code jq} reads as null.
 */
final class JsonOutput {

  private static final JsonFormat.Printer PRETTY =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
  private static final JsonFormat.Printer COMPACT = PRETTY.omittingInsignificantWhitespace();

  private JsonOutput() {}

  /** An indented JSON document. */
  static String pretty(MessageOrBuilder message) {
    return print(PRETTY, message);
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
