package dev.baton.cli.client;

import dev.baton.caller.BatonTls;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.output.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Locale;

/** Turns a failed gRPC call into an exit code and one line a user can act on. */
final class GrpcErrors {

  private GrpcErrors() {}

  static CommandFailure toFailure(
      StatusRuntimeException e,
      String address,
      Duration rpcTimeout,
      boolean sentApiKey,
      BatonTls tls) {
    Status status = e.getStatus();
    String description = oneLine(status.getDescription());
    return switch (status.getCode()) {
      case NOT_FOUND ->
          new CommandFailure(ExitCodes.NOT_FOUND, orDefault(description, "not found"));
      case INVALID_ARGUMENT ->
          new CommandFailure(
              ExitCodes.INVALID_ARGUMENT,
              "the server rejected the request: " + orDefault(description, "invalid argument"));
      case UNAVAILABLE -> unavailable(e, address, tls);
      case DEADLINE_EXCEEDED ->
          new CommandFailure(
              ExitCodes.UNAVAILABLE,
              "the Baton server at "
                  + address
                  + " did not answer within "
                  + Durations.format(rpcTimeout)
                  + "; check that `baton server` is running there, or raise --rpc-timeout");
      case CANCELLED ->
          // The user's Ctrl-C ends the JVM (exit 130) before a call could report CANCELLED, so
          // this one came from the server's side: it stopped or restarted mid-call.
          new CommandFailure(
              ExitCodes.UNAVAILABLE,
              "the Baton server at "
                  + address
                  + " dropped the call ("
                  + orDefault(description, "CANCELLED")
                  + "); it may have stopped or restarted: check that `baton server` is running"
                  + " there, then run the command again");
      case RESOURCE_EXHAUSTED -> resourceExhausted(description, address);
      case UNAUTHENTICATED ->
          new CommandFailure(
              ExitCodes.NOT_ALLOWED,
              sentApiKey
                  ? "the Baton server at "
                      + address
                      + " does not accept this API key; check BATON_API_KEY (or --api-key)"
                  : "the Baton server at "
                      + address
                      + " requires an API key; set BATON_API_KEY (or pass --api-key)");
      case PERMISSION_DENIED ->
          new CommandFailure(
              ExitCodes.NOT_ALLOWED,
              "the server refused: " + orDefault(description, "permission denied"));
      case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED ->
          new CommandFailure(
              ExitCodes.REFUSED,
              "the server refused: "
                  + orDefault(description, status.getCode().name().toLowerCase(Locale.ROOT)));
      case UNIMPLEMENTED ->
          new CommandFailure(
              ExitCodes.ERROR,
              "the server at "
                  + address
                  + " does not offer this Baton API call ("
                  + orDefault(description, "UNIMPLEMENTED")
                  + "); is it a Baton server of a matching version?");
      default ->
          new CommandFailure(
              ExitCodes.ERROR,
              "the server failed the request: "
                  + status.getCode()
                  + orDefault(description == null ? null : ": " + description, ""));
    };
  }

  private static CommandFailure resourceExhausted(String description, String address) {
    if (description != null && description.contains("exceeds maximum size")) {
      // gRPC's message size limit (the server's for requests, this client's for answers), not a
      // limit of the moment: the same request fails again.
      return new CommandFailure(
          ExitCodes.INVALID_ARGUMENT,
          "the request or its answer is larger than gRPC allows ("
              + description
              + "); a message must also be at most the server's --max-message-bytes");
    }
    return new CommandFailure(
        ExitCodes.UNAVAILABLE,
        "the Baton server at "
            + address
            + " is not taking this request now ("
            + orDefault(description, "RESOURCE_EXHAUSTED")
            + "); retry later");
  }

  private static CommandFailure unavailable(
      StatusRuntimeException e, String address, BatonTls tls) {
    TlsProblems.Failure handshake = TlsProblems.handshakeFailure(e);
    if (handshake != null) {
      return new CommandFailure(
          ExitCodes.UNAVAILABLE,
          "the TLS handshake with the Baton server at "
              + address
              + " failed: "
              + TlsProblems.hint(handshake, tls)
              + " ("
              + handshake.reason()
              + ")");
    }
    String description = e.getStatus().getDescription();
    if (answeredByTheServer(e)) {
      // The server is there and said why it cannot serve now (its store is down, it is stopping).
      return new CommandFailure(
          ExitCodes.UNAVAILABLE,
          "the Baton server at "
              + address
              + " cannot serve the request now: "
              + oneLine(description)
              + "; retry later");
    }
    return new CommandFailure(
        ExitCodes.UNAVAILABLE,
        "the Baton server at "
            + address
            + " is unavailable ("
            + detail(e)
            + "); check that `baton server` is running there, or point --address"
            + " (or BATON_ADDRESS) at one that is"
            + (tls.enabled()
                ? ""
                : "; if it serves TLS, pass --tls or --tls-ca FILE (BATON_TLS, BATON_TLS_CA)"));
  }

  /**
   * Whether UNAVAILABLE came from a Baton server that answered, rather than from the transport (no
   * connection, a connection lost), which gRPC reports with its cause or in its own words.
   */
  private static boolean answeredByTheServer(StatusRuntimeException e) {
    String description = e.getStatus().getDescription();
    return e.getCause() == null
        && e.getStatus().getCause() == null
        && description != null
        && !description.equals("io exception")
        && !description.startsWith("Network closed")
        && !description.startsWith("Connection closed")
        && !description.contains("connection")
        && !description.contains("Connection refused");
  }

  private static String detail(StatusRuntimeException e) {
    String description = orDefault(oneLine(e.getStatus().getDescription()), "no connection");
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      return description + ": " + oneLine(cause.getMessage());
    }
    return description;
  }

  /** The first line only: errors are printed as one line. */
  private static String oneLine(String text) {
    return text == null ? null : text.strip().lines().findFirst().orElse("");
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
