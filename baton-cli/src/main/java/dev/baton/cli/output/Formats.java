package dev.baton.cli.output;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small text renderings shared by the table views. */
final class Formats {

  /** What a table shows for a value that is not set. */
  static final String NONE = "-";

  private Formats() {}

  /** ISO-8601 in UTC to the second, e.g. {@code 2025-01-31T09:30:00Z}; unset as {@code -}. */
  static String timestamp(Timestamp timestamp) {
    if (isUnset(timestamp)) {
      return NONE;
    }
    return DateTimeFormatter.ISO_INSTANT.format(instant(timestamp).truncatedTo(ChronoUnit.SECONDS));
  }

  /** The time between two timestamps, e.g. {@code 1m30s}; {@code -} unless both are set. */
  static String between(Timestamp start, Timestamp end) {
    if (isUnset(start) || isUnset(end)) {
      return NONE;
    }
    return Durations.format(Duration.between(instant(start), instant(end)));
  }

  /** {@code text} on one line, cut to {@code max} characters with {@code ...} when longer. */
  static String oneLine(String text, int max) {
    String line = text.strip().replaceAll("\\s+", " ");
    if (line.length() <= max) {
      return line;
    }
    return line.substring(0, Math.max(0, max - 3)) + "...";
  }

  static boolean isUnset(Timestamp timestamp) {
    return timestamp.getSeconds() == 0 && timestamp.getNanos() == 0;
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
