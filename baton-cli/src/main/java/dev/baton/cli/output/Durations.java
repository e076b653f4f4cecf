package dev.baton.cli.output;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 250ms}, {@code 30s}, {@code 1.5s}, {@code 5m}, {@code
 * 1h30m}, {@code 2d}; ISO-8601 ({@code PT5M}) is accepted too. {@link #format} writes what {@link
 * #parse} reads.
 */
public final class Durations {

  private static final Pattern WHOLE = Pattern.compile("(\\d+(\\.\\d+)?(ms|d|h|m|s))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|d|h|m|s)");
  private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000L);
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException saying what was expected when {@code text} is not one
   */
  public static Duration parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("p")) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw invalid(text);
      }
    }
    if (!WHOLE.matcher(value).matches()) {
      throw invalid(text);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(nanosPer(part.group(2))));
    }
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long", e);
    }
  }

  private static BigDecimal nanosPer(String unit) {
    return switch (unit) {
      case "ms" -> NANOS_PER_MILLI;
      case "s" -> NANOS_PER_SECOND;
      case "m" -> NANOS_PER_SECOND.multiply(BigDecimal.valueOf(60));
      case "h" -> NANOS_PER_SECOND.multiply(BigDecimal.valueOf(3600));
      case "d" -> NANOS_PER_SECOND.multiply(BigDecimal.valueOf(86_400));
      default -> throw new IllegalStateException("unit " + unit);
    };
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "expected a duration such as 30s, 5m, 1h30m or PT5M but was '" + text + "'");
  }

  /** Writes a proto duration, e.g. {@code 5m}; an unset one as {@code -}. */
  public static String format(com.google.protobuf.Duration duration) {
    if (duration.getSeconds() == 0 && duration.getNanos() == 0) {
      return "-";
    }
    return format(Duration.ofSeconds(duration.getSeconds(), duration.getNanos()));
  }

  /**
   * Writes a duration the short way: {@code 250ms}, {@code 1.5s}, {@code 5m}, {@code 1h30m}, {@code
   * 36h}. Below a minute milliseconds are kept; above, whole seconds.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      return duration.toMillis() == 0 ? "<1ms" : duration.toMillis() + "ms";
    }
    StringBuilder text = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    int millis = duration.toMillisPart();
    if (hours == 0 && minutes == 0 && millis > 0) {
      String fraction = String.format(Locale.ROOT, "%03d", millis).replaceAll("0+$", "");
      text.append(seconds).append('.').append(fraction).append('s');
    } else if (seconds > 0) {
      text.append(seconds).append('s');
    }
    return text.toString();
  }
}
