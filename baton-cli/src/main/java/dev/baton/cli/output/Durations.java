package dev.baton.cli.output;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations on the command line: options are read by the parser agent definitions use ({@link
 * dev.baton.agent.Durations#parse}: {@code 250ms}, {@code 1.5s}, {@code 1h30m}, {@code PT5M}), and
 * written for people, e.g. {@code 1.5s} or {@code 36h}.
 */
public final class Durations {

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException saying what was expected when {@code text} is not one
   */
  public static Duration parse(String text) {
    return dev.baton.agent.Durations.parse(text).orElseThrow(() -> invalid(text));
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
