package dev.baton.server.tls;

import dev.baton.tls.PemFiles;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * TLS of the gRPC API. Plaintext by default; the ops HTTP server ({@code /metrics}, {@code
 * /healthz}, {@code /readyz}) stays plain HTTP either way.
 *
 * @param certificate PEM certificate chain the server presents, leaf first ({@code --tls-cert}), or
 *     {@code null} for plaintext
 * @param privateKey the leaf's unencrypted PKCS#8 PEM key ({@code --tls-key})
 * @param clientCa PEM CA certificates ({@code --tls-client-ca}); when set, every client must
 *     present a certificate signed by one of them (mutual TLS), or {@code null}
 */
public record ServerTls(Path certificate, Path privateKey, Path clientCa) {
  static final String CERT = "--tls-cert (BATON_TLS_CERT)";
  static final String KEY = "--tls-key (BATON_TLS_KEY)";
  static final String CLIENT_CA = "--tls-client-ca (BATON_TLS_CLIENT_CA)";

  public ServerTls {
    if ((certificate == null) != (privateKey == null)) {
      throw new IllegalArgumentException(
          "--tls-cert and --tls-key go together: give the server's PEM certificate chain and its"
              + " PKCS#8 private key, or neither for plaintext");
    }
    if (clientCa != null && certificate == null) {
      throw new IllegalArgumentException(
          "--tls-client-ca needs --tls-cert and --tls-key: clients present certificates only over"
              + " TLS");
    }
  }

  /** No TLS: the default. */
  public static ServerTls plaintext() {
    return new ServerTls(null, null, null);
  }

  /** TLS with this certificate chain and key; clients are not asked for certificates. */
  public static ServerTls of(Path certificate, Path privateKey) {
    return new ServerTls(certificate, privateKey, null);
  }

  /** The same TLS, requiring client certificates signed by a CA of {@code caFile}. */
  public ServerTls requireClientCertificates(Path caFile) {
    return new ServerTls(certificate, privateKey, caFile);
  }

  public boolean enabled() {
    return certificate != null;
  }

  public boolean requiresClientCertificates() {
    return clientCa != null;
  }

  /**
   * Reads and checks the files (PEM, key matching the certificate) and returns the server's
   * credentials.
   *
   * @throws IllegalArgumentException naming the file that is wrong and what was expected
   */
  public ServerCredentials credentials() {
    if (!enabled()) {
      return InsecureServerCredentials.create();
    }
    PemFiles.checkKeyPair(certificate, CERT, privateKey, KEY);
    try {
      TlsServerCredentials.Builder builder =
          TlsServerCredentials.newBuilder().keyManager(certificate.toFile(), privateKey.toFile());
      if (clientCa != null) {
        PemFiles.certificates(clientCa, CLIENT_CA);
        builder.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
    }
  }

  /** How the startup log describes it. */
  public String describe() {
    if (!enabled()) {
      return "plaintext";
    }
    return clientCa == null ? "TLS" : "TLS, client certificates required";
  }
}
