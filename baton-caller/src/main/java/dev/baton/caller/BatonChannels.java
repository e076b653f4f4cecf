package dev.baton.caller;

import dev.baton.tls.PemFiles;
import io.grpc.ChannelCredentials;
import io.grpc.CompositeChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The one place that opens gRPC channels to a Baton server: TLS or plaintext as {@link BatonTls}
 * says, plus the API key on every call. Used by {@link BatonClient}; the {@code baton} CLI builds
 * its channel from {@link #credentials} and {@link #configure} on an event loop of its own.
 */
public final class BatonChannels {

  /**
   * The largest answer a channel accepts (gRPC's default is 4 MiB). One execution may hold a 4 MiB
   * message and 16 MiB of a command agent's output, and Get, Watch and Create answer with all of
   * it; List pages stop at 3 MiB.
   */
  public static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

  private BatonChannels() {}

  /**
   * Opens a channel to {@code target} ({@code host:port}). Connecting is lazy: an unreachable
   * server or a failed handshake shows up as UNAVAILABLE on the first call.
   *
   * @param apiKey the plain API key, or null or blank to send none
   * @throws IllegalArgumentException if a TLS file is wrong (naming it and what was expected) or
   *     the API key is not printable ASCII
   */
  public static ManagedChannel open(String target, BatonTls tls, String apiKey, String userAgent) {
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(target, credentials(tls, apiKey));
    configure(builder, tls, userAgent);
    return builder.build();
  }

  /**
   * Sets what every channel to Baton carries besides its credentials: {@code userAgent}, answers of
   * up to {@link #MAX_ANSWER_BYTES}, and the name the server's certificate is checked against when
   * {@code tls} gives one. For callers that build their own channel (the CLI, on an event loop of
   * its own) from {@link #credentials}.
   */
  public static void configure(ManagedChannelBuilder<?> builder, BatonTls tls, String userAgent) {
    Objects.requireNonNull(tls, "tls");
    if (tls.serverName() != null) {
      builder.overrideAuthority(tls.serverName());
    }
    builder.userAgent(userAgent).maxInboundMessageSize(MAX_ANSWER_BYTES);
  }

  /** Transport credentials of {@code tls}, combined with {@code apiKey} if not blank. */
  public static ChannelCredentials credentials(BatonTls tls, String apiKey) {
    Objects.requireNonNull(tls, "tls");
    ChannelCredentials transport = tls.enabled() ? tlsCredentials(tls) : plaintext();
    if (apiKey == null || apiKey.isBlank()) {
      return transport;
    }
    return CompositeChannelCredentials.create(transport, ApiKeyCredentials.of(apiKey));
  }

  private static ChannelCredentials plaintext() {
    return InsecureChannelCredentials.create();
  }

  private static ChannelCredentials tlsCredentials(BatonTls tls) {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (tls.trustedCa() != null) {
        PemFiles.certificates(tls.trustedCa(), "trusted CA file");
        builder.trustManager(tls.trustedCa().toFile());
      }
      if (tls.clientCertificate() != null) {
        PemFiles.checkKeyPair(
            tls.clientCertificate(), "client certificate", tls.clientKey(), "client key");
        builder.keyManager(tls.clientCertificate().toFile(), tls.clientKey().toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
    }
    return builder.build();
  }
}
