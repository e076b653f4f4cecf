package dev.baton.server.auth;

import java.util.Locale;
import java.util.Set;

/** What an API key may call: each scope includes the ones before it. */
public enum ApiKeyScope {
  /** Get, List, Watch, Summarize and Describe executions; everything in AgentService. */
  READ,
  /** READ plus Create and Cancel. */
  WRITE,
  /** Every method, also CompleteCaller. */
  ADMIN;

  private static final String EXECUTIONS = "baton.v1.AgentExecutionService/";
  private static final String AGENTS = "baton.v1.AgentService/";
  private static final Set<String> READ_METHODS =
      Set.of(
          EXECUTIONS + "Get",
          EXECUTIONS + "List",
          EXECUTIONS + "Watch",
          EXECUTIONS + "Summarize",
          EXECUTIONS + "Describe");
  private static final Set<String> WRITE_METHODS =
      Set.of(EXECUTIONS + "Create", EXECUTIONS + "Cancel");

  /** Whether a key of this scope may call the gRPC method with this full name. */
  public boolean allows(String fullMethodName) {
    if (this == ADMIN) {
      return true;
    }
    if (fullMethodName.startsWith(AGENTS) || READ_METHODS.contains(fullMethodName)) {
      return true;
    }
    return this == WRITE && WRITE_METHODS.contains(fullMethodName);
  }

  /** Parses {@code read}, {@code write} or {@code admin} (any case). */
  public static ApiKeyScope parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown API key scope '" + text + "'; expected read, write or admin", e);
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
