package dev.baton.server.limits;

import dev.baton.server.auth.ApiKey;
import dev.baton.server.auth.ApiKeyInterceptor;
import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Whom a call counts against: its API key (set by {@link ApiKeyInterceptor}, which runs first), or
 * its peer's IP address when the server runs without authentication.
 *
 * @param id the bucket's key
 * @param label how errors name the caller
 */
record LimitKey(String id, String label) {

  static LimitKey of(ServerCall<?, ?> call) {
    ApiKey key = ApiKeyInterceptor.CALLER_KEY.get();
    if (key != null) {
      return new LimitKey("key:" + key.name(), "API key '" + key.name() + "'");
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    String address =
        remote instanceof InetSocketAddress inet && inet.getAddress() != null
            ? inet.getAddress().getHostAddress()
            : String.valueOf(remote);
    return new LimitKey("peer:" + address, "address " + address);
  }

  /** Health checks and reflection are never limited, so probes and tools always get through. */
  static boolean isExempt(String fullMethodName) {
    return fullMethodName.startsWith("grpc.health.")
        || fullMethodName.startsWith("grpc.reflection.");
  }
}
