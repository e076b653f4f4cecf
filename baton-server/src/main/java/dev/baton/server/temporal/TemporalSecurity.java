package dev.baton.server.temporal;

import dev.baton.tls.PemFiles;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * How Baton connects to an external Temporal: plaintext by default; TLS with the system's trusted
 * CAs or a given CA; a client certificate (mutual TLS, as Temporal Cloud namespaces with
 * certificates expect) and/or a Temporal Cloud API key. Callback delivery to callers uses the same
 * connection, so it is covered too. Not for the embedded Temporal, which is plaintext on loopback.
 *
 * @param tls TLS with the system's trusted CAs ({@code --temporal-tls}); implied by every other
 *     setting
 * @param ca PEM CA certificates to trust instead of the system's ({@code --temporal-tls-ca}), or
 *     {@code null}
 * @param clientCertificate PEM client certificate chain ({@code --temporal-tls-cert}), or {@code
 *     null}
 * @param clientKey its unencrypted PKCS#8 PEM key ({@code --temporal-tls-key}), or {@code null}
 * @param serverName the name the server's certificate is checked against instead of the host of the
 *     Temporal address ({@code --temporal-tls-server-name}), or {@code null}
 * @param apiKey a Temporal Cloud API key, sent as {@code authorization: Bearer <key>} on every call
 *     ({@code --temporal-api-key}), or {@code null}
 */
public record TemporalSecurity(
    boolean tls,
    Path ca,
    Path clientCertificate,
    Path clientKey,
    String serverName,
    String apiKey) {
  static final String CA = "--temporal-tls-ca (BATON_TEMPORAL_TLS_CA)";
  static final String CERT = "--temporal-tls-cert (BATON_TEMPORAL_TLS_CERT)";
  static final String KEY = "--temporal-tls-key (BATON_TEMPORAL_TLS_KEY)";

  /** The header that routes a call to its namespace on Temporal Cloud's regional endpoints. */
  static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER);

  public TemporalSecurity {
    serverName = blankToNull(serverName);
    apiKey = blankToNull(apiKey);
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "--temporal-tls-cert and --temporal-tls-key go together: give the client certificate"
              + " Temporal accepts and its PKCS#8 private key, or neither");
    }
    tls = tls || ca != null || clientCertificate != null || serverName != null || apiKey != null;
  }

  /** Plaintext, no credentials: the default. */
  public static TemporalSecurity plaintext() {
    return new TemporalSecurity(false, null, null, null, null, null);
  }

  /**
   * @throws IllegalArgumentException if any setting is given for the embedded Temporal ({@code
   *     address} null)
   */
  public void checkUsableWith(String address) {
    if (address == null && tls) {
      throw new IllegalArgumentException(
          "--temporal-tls, --temporal-tls-ca, --temporal-tls-cert, --temporal-tls-key,"
              + " --temporal-tls-server-name and --temporal-api-key apply to an external Temporal:"
              + " give --temporal-address (or BATON_TEMPORAL_ADDRESS), or drop them to use the"
              + " embedded Temporal, which listens in plaintext on loopback");
    }
  }

  /**
   * Sets TLS and the API key on {@code options}. Reads and checks the files first.
   *
   * @throws IllegalArgumentException naming a file that is wrong and what was expected
   */
  public WorkflowServiceStubsOptions.Builder applyTo(
      WorkflowServiceStubsOptions.Builder options, String namespace) {
    if (tls) {
      options.setSslContext(sslContext());
    }
    if (serverName != null) {
      options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
    }
    if (apiKey != null) {
      String key = apiKey;
      options.addApiKey(() -> key);
      Metadata headers = new Metadata();
      headers.put(NAMESPACE_HEADER, namespace);
      options.setHeaders(headers);
    }
    return options;
  }

  /** How the startup log describes it; never the key. */
  public String describe() {
    if (!tls) {
      return "plaintext";
    }
    return "TLS"
        + (clientCertificate != null ? ", client certificate" : "")
        + (apiKey != null ? ", API key" : "");
  }

  @Override
  public String toString() {
    return "TemporalSecurity[tls="
        + tls
        + ", ca="
        + ca
        + ", clientCertificate="
        + clientCertificate
        + ", clientKey="
        + clientKey
        + ", serverName="
        + serverName
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + "]";
  }

  private SslContext sslContext() {
    SslContextBuilder builder = GrpcSslContexts.forClient();
    if (ca != null) {
      PemFiles.certificates(ca, CA);
      builder.trustManager(ca.toFile());
    }
    if (clientCertificate != null) {
      PemFiles.checkKeyPair(clientCertificate, CERT, clientKey, KEY);
      builder.keyManager(clientCertificate.toFile(), clientKey.toFile());
    }
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          "cannot set up TLS towards Temporal with these files: " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
