package dev.baton.cli.server;

import dev.baton.server.limits.ServerLimits;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code baton server} options that become {@link ServerLimits}. */
final class LimitOptions {

  @Option(
      names = "--rate-limit",
      paramLabel = "N[/s]",
      defaultValue = "${env:BATON_RATE_LIMIT:-0}",
      description =
          "Requests per second each caller may make (per API key with --auth api-key, else per"
              + " client address); excess calls get RESOURCE_EXHAUSTED with a retry delay. 0 turns"
              + " it off (env BATON_RATE_LIMIT; default ${DEFAULT-VALUE}).")
  String rateLimit;

  @Option(
      names = "--rate-burst",
      defaultValue = "${env:BATON_RATE_BURST:-0}",
      description =
          "Requests a caller may make at once after being idle; 0 means twice the rate"
              + " (env BATON_RATE_BURST; default ${DEFAULT-VALUE}).")
  int rateBurst;

  @Option(
      names = "--max-watch-streams",
      defaultValue = "${env:BATON_MAX_WATCH_STREAMS:-16}",
      description =
          "Watch streams each caller may hold open at once; 0 for no limit"
              + " (env BATON_MAX_WATCH_STREAMS; default ${DEFAULT-VALUE}).")
  int maxWatchStreams;

  @Option(
      names = "--max-concurrent-per-agent",
      defaultValue = "${env:BATON_MAX_CONCURRENT_PER_AGENT:-0}",
      description =
          "Executions of one agent that run at once, for agents without maxConcurrent in their"
              + " YAML; more stay PENDING and start in creation order. 0 for no limit"
              + " (env BATON_MAX_CONCURRENT_PER_AGENT; default ${DEFAULT-VALUE}).")
  int maxConcurrentPerAgent;

  ServerLimits toServerLimits() {
    return new ServerLimits(
        parseRate(rateLimit), rateBurst, maxWatchStreams, maxConcurrentPerAgent);
  }

  /** {@code 50} or {@code 50/s}. */
  static double parseRate(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.endsWith("/s")) {
      value = value.substring(0, value.length() - 2).trim();
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--rate-limit must be requests per second such as 50 or 50/s, got '" + text + "'", e);
    }
  }
}
