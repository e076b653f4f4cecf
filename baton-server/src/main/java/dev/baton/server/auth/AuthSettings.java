package dev.baton.server.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * How the server authenticates calls.
 *
 * @param mode none (default) or api-key
 * @param keys the accepted keys; with api-key there must be at least one
 * @param insecure allows listening on a non-loopback address with no authentication
 */
public record AuthSettings(AuthMode mode, ApiKeys keys, boolean insecure) {

  public AuthSettings {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(keys, "keys");
    if (mode == AuthMode.API_KEY && keys.isEmpty()) {
      throw new IllegalArgumentException(
          "--auth api-key needs at least one key: give --api-keys-file FILE or BATON_API_KEYS"
              + " (name:scope:sha256hex; baton api-key create NAME --scope read prints one)");
    }
  }

  /** For the start-up line: the mode, and how many keys it accepts. */
  public String describe() {
    return mode == AuthMode.API_KEY
        ? "auth api-key, " + keys.list().size() + " key(s)"
        : "auth none" + (insecure ? " (--insecure)" : "");
  }

  /** No authentication, loopback only. */
  public static AuthSettings none() {
    return new AuthSettings(AuthMode.NONE, ApiKeys.none(), false);
  }

  public static AuthSettings apiKeys(ApiKeys keys) {
    return new AuthSettings(AuthMode.API_KEY, keys, false);
  }

  /**
   * Refuses to serve an unauthenticated API beyond this machine unless {@code insecure} says so.
   *
   * @throws IllegalStateException saying why and what to do
   */
  public void checkListenAddress(String host, int port) {
    if (mode != AuthMode.NONE || insecure || isLoopback(host)) {
      return;
    }
    throw new IllegalStateException(
        "refusing to listen on "
            + host
            + ":"
            + port
            + " with --auth none: anyone who can reach that address could read executions, start"
            + " agents and cancel them. Use --auth api-key with --api-keys-file (or"
            + " BATON_API_KEYS), listen on 127.0.0.1, or pass --insecure if the network is"
            + " trusted");
  }

  private static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
