package dev.baton.cli.client;

import dev.baton.cli.output.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a positive duration option such as {@code 30s}, {@code 5m}, {@code 1h30m}. */
public class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    Duration duration = parse(value);
    if (duration.isZero()) {
      throw new TypeConversionException("expected a positive duration but was '" + value + "'");
    }
    return duration;
  }

  /** The duration, never negative. */
  static Duration parse(String value) {
    Duration duration;
    try {
      duration = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (duration.isNegative()) {
      throw new TypeConversionException("expected a positive duration but was '" + value + "'");
    }
    return duration;
  }

  /** Also takes {@code 0s}, for options where zero turns something off. */
  public static final class OrZero extends DurationConverter {
    @Override
    public Duration convert(String value) {
      return parse(value);
    }
  }
}
