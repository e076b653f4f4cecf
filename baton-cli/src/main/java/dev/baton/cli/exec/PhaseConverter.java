package dev.baton.cli.exec;

import dev.baton.api.v1.ExecutionPhase;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an execution phase by name in any case, {@code in-progress} as well as {@code in_progress}.
 */
final class PhaseConverter implements ITypeConverter<ExecutionPhase> {

  /** The phases an execution can be in, as users may write them. */
  static final String CHOICES =
      Arrays.stream(ExecutionPhase.values())
          .filter(PhaseConverter::isReal)
          .map(phase -> phase.name().toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));

  @Override
  public ExecutionPhase convert(String value) {
    String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(ExecutionPhase.values())
        .filter(PhaseConverter::isReal)
        .filter(phase -> phase.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "expected one of " + CHOICES + " but was '" + value + "'"));
  }

  private static boolean isReal(ExecutionPhase phase) {
    return phase != ExecutionPhase.EXECUTION_PHASE_UNSPECIFIED
        && phase != ExecutionPhase.UNRECOGNIZED;
  }
}
