package dev.baton.cli.client;

import dev.baton.caller.BatonTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Recognises failed TLS handshakes in a call's error and says what to change. */
final class TlsProblems {

  private TlsProblems() {}

  /**
   * A failed TLS handshake.
   *
   * @param reason the most specific message (of the root cause), one line
   * @param messages every message from the handshake exception down, for recognising the problem
   */
  record Failure(String reason, String messages) {}

  /** The TLS handshake failure behind a failed call, or null if it was no TLS problem. */
  static Failure handshakeFailure(Throwable error) {
    List<String> messages = new ArrayList<>();
    boolean tls = false;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      tls |= cause instanceof SSLException || cause.getClass().getSimpleName().contains("Ssl");
      if (tls && cause.getMessage() != null) {
        messages.add(cause.getMessage().strip().lines().findFirst().orElse(""));
      }
    }
    if (!tls) {
      return null;
    }
    String reason = messages.isEmpty() ? "no reason given" : messages.get(messages.size() - 1);
    return new Failure(reason, String.join("; ", messages));
  }

  /** What to do about {@code failure}, given the client's TLS settings. */
  static String hint(Failure failure, BatonTls tls) {
    String text = failure.messages().toLowerCase(Locale.ROOT);
    if (text.contains("not an ssl/tls record") || text.contains("notsslrecord")) {
      return "the server does not speak TLS: drop --tls and --tls-ca, or start it with"
          + " --tls-cert and --tls-key";
    }
    if (text.contains("certification path") || text.contains("pkix")) {
      return "the server's certificate is not signed by a CA this client trusts: pass --tls-ca"
          + " FILE (BATON_TLS_CA) with the CA that signed it";
    }
    if (text.contains("subject alternative") || text.contains("hostname")) {
      return "the server's certificate is not issued for this address: connect by a name it"
          + " holds, or pass --tls-server-name NAME (BATON_TLS_SERVER_NAME)";
    }
    if (text.contains("certificate_required")
        || text.contains("bad_certificate")
        || text.contains("unknown_ca")
        || text.contains("handshake_failure")) {
      return tls.clientCertificate() == null
          ? "the server requires a client certificate: pass --tls-cert FILE and --tls-key FILE"
              + " (BATON_TLS_CLIENT_CERT, BATON_TLS_CLIENT_KEY)"
          : "the server did not accept the client certificate "
              + tls.clientCertificate()
              + ": it must be signed by a CA of the server's --tls-client-ca";
    }
    return "check --tls-ca, --tls-cert and --tls-key, and --tls-server-name";
  }
}
