package dev.baton.cli.client;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A HOST:PORT pair given on the command line: the address a client connects to ({@code --address})
 * or a server listens on ({@code --listen}). An IPv6 host is written in brackets, {@code
 * [::1]:7234}, and kept so in {@link #host()}.
 */
public record HostPort(String host, int port) {

  private static final int MAX_PORT = 65535;

  /** HOST:PORT as given, e.g. {@code 127.0.0.1:7234}. */
  @Override
  public String toString() {
    return host + ":" + port;
  }

  /**
   * Reads {@code value}, a port from {@code minPort} to 65535.
   *
   * @throws TypeConversionException saying what was expected, for picocli to report as a usage
   *     error of the option being converted
   */
  static HostPort parse(String value, int minPort) {
    String text = value == null ? "" : value.strip();
    int colon = text.lastIndexOf(':');
    if (colon < 0 || !validHost(text.substring(0, colon))) {
      throw expectedHostPort(value);
    }
    String portText = text.substring(colon + 1);
    int port;
    try {
      port = portText.chars().allMatch(Character::isDigit) ? Integer.parseInt(portText) : -1;
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < minPort || port > MAX_PORT) {
      throw new TypeConversionException(
          "expected a port from "
              + minPort
              + " to "
              + MAX_PORT
              + " after HOST:, got '"
              + value
              + "'");
    }
    return new HostPort(text.substring(0, colon), port);
  }

  /** A name or IPv4 address, or an IPv6 address in brackets; no scheme, path or spaces. */
  private static boolean validHost(String host) {
    if (host.startsWith("[")) {
      return host.length() > 2 && host.endsWith("]") && host.indexOf(']') == host.length() - 1;
    }
    return !host.isEmpty() && host.chars().noneMatch(c -> c == ':' || c == '/' || c <= ' ');
  }

  private static TypeConversionException expectedHostPort(String value) {
    return new TypeConversionException(
        "expected HOST:PORT (e.g. 127.0.0.1:7234), got '" + value + "'");
  }

  /** Converts {@code --address}: a server to connect to, so port 0 is not one. */
  public static final class Address implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      return parse(value, 1);
    }
  }

  /** Converts {@code --listen}: port 0 asks for any free port. */
  public static final class Listen implements ITypeConverter<HostPort> {
    @Override
    public HostPort convert(String value) {
      return parse(value, 0);
    }
  }
}
