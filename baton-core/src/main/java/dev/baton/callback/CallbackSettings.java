package dev.baton.callback;

import java.time.Duration;

/**
 * How callbacks are delivered.
 *
 * @param defaultNamespace the Temporal namespace of callers that did not say theirs
 * @param outputLimitBytes output beyond this many UTF-8 bytes is delivered truncated (Temporal
 *     rejects results over 2 MiB); default 512 KiB
 * @param rpcDeadline the deadline of one completion RPC; default 10 s
 * @param retryWindow how long transient delivery errors are retried; default 24 h
 */
public record CallbackSettings(
    String defaultNamespace, int outputLimitBytes, Duration rpcDeadline, Duration retryWindow) {

  public static final int DEFAULT_OUTPUT_LIMIT_BYTES = 512 * 1024;

  public static CallbackSettings defaults(String namespace) {
    return new CallbackSettings(
        namespace, DEFAULT_OUTPUT_LIMIT_BYTES, Duration.ofSeconds(10), Duration.ofHours(24));
  }
}
