package dev.baton.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code BATON_LOG_FORMAT} and {@code BATON_LOG_LEVEL} before logback reads them, and hands
 * logback their lower- and upper-cased forms as system properties (which logback's {@code ${...}}
 * looks up before the environment), unset or blank as logback.xml's defaults. Without this, a
 * format logback.xml has no appender for ({@code JSON}, {@code xml}) silently dropped every log
 * line, and an unknown level meant DEBUG.
 */
final class LogSettings {
  static final String FORMAT = "BATON_LOG_FORMAT";
  static final String LEVEL = "BATON_LOG_LEVEL";
  private static final List<String> FORMATS = List.of("text", "json");
  private static final List<String> LEVELS =
      List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private LogSettings() {}

  /**
   * Applies the settings of {@code env} to the system properties logback reads.
   *
   * @return what is wrong with them, if anything; nothing is applied then
   */
  static Optional<String> apply(Map<String, String> env) {
    String format = normalized(env.get(FORMAT), "text").toLowerCase(Locale.ROOT);
    String level = normalized(env.get(LEVEL), "INFO").toUpperCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      return Optional.of(
          FORMAT + " must be text or json, got '" + env.get(FORMAT) + "'; unset it for text");
    }
    if (!LEVELS.contains(level)) {
      return Optional.of(
          LEVEL
              + " must be one of "
              + String.join(", ", LEVELS)
              + ", got '"
              + env.get(LEVEL)
              + "'; unset it for INFO");
    }
    System.setProperty(FORMAT, format);
    System.setProperty(LEVEL, level);
    return Optional.empty();
  }

  /**
   * The value without surrounding blanks; unset or blank (as logback.xml's default) is the default.
   */
  private static String normalized(String value, String unset) {
    return value == null || value.isBlank() ? unset : value.strip();
  }
}
