package dev.baton.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** Protobuf JSON as scripts read it (the canonical proto3 JSON mapping). */
final class JsonOutput {

  private static final JsonFormat.Printer PRETTY = JsonFormat.printer();
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
