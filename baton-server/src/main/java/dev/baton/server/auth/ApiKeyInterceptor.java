package dev.baton.server.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only with {@code authorization: Bearer <key>} naming a known key whose scope
 * allows the method; health checks and reflection stay open. The key is available to services as
 * {@link #CALLER_KEY}.
 */
public final class ApiKeyInterceptor implements ServerInterceptor {
  /** The key the current call was made with. */
  public static final Context.Key<ApiKey> CALLER_KEY = Context.key("baton-api-key");

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final String MISSING_KEY = "send an API key in the authorization header: Bearer <key>";

  private static final Logger log = LoggerFactory.getLogger(ApiKeyInterceptor.class);
  private static final String BEARER = "bearer ";

  private final ApiKeys keys;

  public ApiKeyInterceptor(ApiKeys keys) {
    this.keys = keys;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (isOpen(method)) {
      return next.startCall(call, headers);
    }
    Optional<String> presented = presentedKey(headers);
    Optional<ApiKey> key = presented.flatMap(keys::find);
    if (key.isEmpty()) {
      // Never the key itself: a wrong one may be a real key of another system.
      log.info(
          "refused {} from {}: {}",
          method,
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          presented.isEmpty() ? "no API key" : "an API key that is not configured here");
      return reject(call, Status.UNAUTHENTICATED.withDescription(MISSING_KEY));
    }
    if (!key.get().scope().allows(method)) {
      log.info("API key {} ({}) denied {}", key.get().name(), key.get().scope().label(), method);
      return reject(
          call,
          Status.PERMISSION_DENIED.withDescription(
              "API key '"
                  + key.get().name()
                  + "' has scope "
                  + key.get().scope().label()
                  + ", which does not allow "
                  + method
                  + "; use a key with a wider scope"));
    }
    return Contexts.interceptCall(
        Context.current().withValue(CALLER_KEY, key.get()), call, headers, next);
  }

  private static boolean isOpen(String method) {
    return method.startsWith("grpc.health.") || method.startsWith("grpc.reflection.");
  }

  private static Optional<String> presentedKey(Metadata headers) {
    String value = headers.get(AUTHORIZATION);
    if (value == null || value.length() <= BEARER.length()) {
      return Optional.empty();
    }
    if (!value.substring(0, BEARER.length()).equalsIgnoreCase(BEARER)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(BEARER.length()).trim());
  }

  private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
