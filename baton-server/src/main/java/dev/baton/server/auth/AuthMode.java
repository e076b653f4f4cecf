package dev.baton.server.auth;

import java.util.Locale;

/** How the gRPC API authenticates callers. */
public enum AuthMode {
  /** Anyone who reaches the port may call everything: for loopback or trusted networks. */
  NONE,
  /** Every call except health and reflection needs an API key in its scope. */
  API_KEY;

  /** Parses {@code none} or {@code api-key}. */
  public static AuthMode parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "none" -> NONE;
      case "api-key" -> API_KEY;
      default ->
          throw new IllegalArgumentException(
              "unknown auth mode '" + text + "'; expected none or api-key");
    };
  }
}
