package dev.baton.caller;

import java.nio.file.Path;

/**
 * How a client secures its connection to a Baton server. Immutable; start from {@link #none()}
 * (plaintext, the default), {@link #systemTrust()} or {@link #trusting(Path)} and add a client
 * certificate or a server name with the {@code with...} methods.
 *
 * <p>Files are read when a client connects; a wrong one fails {@code connect} with an {@link
 * IllegalArgumentException} naming the file and what was expected (PEM; keys unencrypted PKCS#8).
 *
 * @param enabled whether to use TLS; implied by every other setting
 * @param trustedCa PEM CA certificates to trust instead of the system's, or {@code null}
 * @param clientCertificate PEM client certificate chain for a server that requires one (started
 *     with {@code --tls-client-ca}), or {@code null}
 * @param clientKey its unencrypted PKCS#8 PEM private key, or {@code null}
 * @param serverName the name the server's certificate is checked against instead of the host of the
 *     target, or {@code null}
 */
public record BatonTls(
    boolean enabled, Path trustedCa, Path clientCertificate, Path clientKey, String serverName) {

  public BatonTls {
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its private key and a key its certificate: give both or"
              + " neither");
    }
    serverName = serverName == null || serverName.isBlank() ? null : serverName.strip();
    enabled = enabled || trustedCa != null || clientCertificate != null || serverName != null;
  }

  /** Plaintext: for a server on loopback or a trusted network. */
  public static BatonTls none() {
    return new BatonTls(false, null, null, null, null);
  }

  /** TLS, trusting the CAs the JVM trusts. */
  public static BatonTls systemTrust() {
    return new BatonTls(true, null, null, null, null);
  }

  /** TLS, trusting only the CA certificates in {@code caFile} (PEM). */
  public static BatonTls trusting(Path caFile) {
    return new BatonTls(true, caFile, null, null, null);
  }

  /** The same, presenting this client certificate (mutual TLS). */
  public BatonTls withClientCertificate(Path certificateFile, Path keyFile) {
    return new BatonTls(enabled, trustedCa, certificateFile, keyFile, serverName);
  }

  /** The same, checking the server's certificate against {@code name}. */
  public BatonTls withServerName(String name) {
    return new BatonTls(enabled, trustedCa, clientCertificate, clientKey, name);
  }
}
