package dev.baton.caller;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Sends a Baton API key with every call, as {@code authorization: Bearer <key>}: what a server
 * started with {@code --auth api-key} expects.
 */
public final class ApiKeyCredentials extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String key;

  private ApiKeyCredentials(String key) {
    this.key = key;
  }

  /**
   * @param key the plain API key (as printed by {@code baton api-key create})
   * @throws IllegalArgumentException if the key is blank or not printable ASCII
   */
  public static ApiKeyCredentials of(String key) {
    Objects.requireNonNull(key, "key");
    String trimmed = key.strip();
    if (trimmed.isEmpty() || !trimmed.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "an API key must be non-empty printable ASCII without spaces");
    }
    return new ApiKeyCredentials(trimmed);
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    try {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + key);
      applier.apply(headers);
    } catch (RuntimeException e) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription("cannot attach the API key").withCause(e));
    }
  }

  @Override
  public String toString() {
    return "ApiKeyCredentials[***]";
  }
}
