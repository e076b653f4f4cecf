package dev.baton.cli.client;

import dev.baton.cli.output.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive duration option such as {@code 30s}, {@code 5m}, {@code 1h30m}. */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    Duration duration;
    try {
      duration = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException("expected a positive duration but was '" + value + "'");
    }
    return duration;
  }
}
