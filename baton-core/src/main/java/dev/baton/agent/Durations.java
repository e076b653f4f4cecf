package dev.baton.agent;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the short durations that agent definitions and the CLI's options use ({@code
 * 30s}, {@code 1.5s}, {@code 1h30m}); the one parser of both.
 */
public final class Durations {
  private static final Pattern COMPOUND = Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000L);
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal NANOS_PER_MINUTE = BigDecimal.valueOf(60_000_000_000L);
  private static final BigDecimal NANOS_PER_HOUR = BigDecimal.valueOf(3_600_000_000_000L);
  private static final BigDecimal NANOS_PER_DAY = BigDecimal.valueOf(86_400_000_000_000L);

  private Durations() {}

  /**
   * Parses {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code 2h}, {@code 1d}, compounds
   * such as {@code 1h30m}, or ISO-8601 such as {@code PT5M}, in either case.
   *
   * @return empty when the text is none of those, or too long for a {@link Duration} in nanoseconds
   */
  public static Optional<Duration> parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (value.startsWith("p")) {
        return Optional.of(Duration.parse(value));
      }
      if (!COMPOUND.matcher(value).matches()) {
        return Optional.empty();
      }
      BigDecimal nanos = BigDecimal.ZERO;
      Matcher part = PART.matcher(value);
      while (part.find()) {
        nanos = nanos.add(new BigDecimal(part.group(1)).multiply(nanosPer(part.group(2))));
      }
      return Optional.of(Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact()));
    } catch (DateTimeParseException | ArithmeticException e) {
      // An out-of-range number is as unusable as a malformed one.
      return Optional.empty();
    }
  }

  /** Writes a duration the way people type it: {@code 1h30m}, {@code 45s}, {@code 250ms}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    StringBuilder text = new StringBuilder();
    append(text, duration.toDaysPart(), "d");
    append(text, duration.toHoursPart(), "h");
    append(text, duration.toMinutesPart(), "m");
    append(text, duration.toSecondsPart(), "s");
    append(text, duration.toMillisPart(), "ms");
    return text.length() == 0 ? duration.toString() : text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }

  private static BigDecimal nanosPer(String unit) {
    return switch (unit) {
      case "ms" -> NANOS_PER_MILLI;
      case "s" -> NANOS_PER_SECOND;
      case "m" -> NANOS_PER_MINUTE;
      case "h" -> NANOS_PER_HOUR;
      default -> NANOS_PER_DAY;
    };
  }
}
