package dev.baton.cli.server;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A HOST:PORT pair given on the command line. */
record HostPort(String host, int port) {

  /** Converts option values, so a bad one is a usage error (exit 2) naming the option. */
  static final class Converter implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      return parse("--listen", value);
    }
  }

  static HostPort parse(String option, String value) {
    int colon = value == null ? -1 : value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException(
          option + " expects HOST:PORT such as 127.0.0.1:7234, got '" + value + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          option + " expects a port between 0 and 65535, got '" + value + "'");
    }
  }
}
