package dev.baton.cli.output;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How commands print their results. */
public enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** Protobuf JSON for scripts: one document, or one object per line when streaming. */
  JSON;

  /** Reads {@code table} or {@code json}, in any case. */
  public static final class Converter implements ITypeConverter<OutputFormat> {
    @Override
    public OutputFormat convert(String value) {
      try {
        return OutputFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected table or json but was '" + value + "'");
      }
    }
  }
}
