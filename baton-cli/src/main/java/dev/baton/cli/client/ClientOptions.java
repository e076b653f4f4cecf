package dev.baton.cli.client;

import dev.baton.caller.BatonTls;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.output.OutputFormat;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Options shared by every command that talks to a Baton server, and the one place that connects,
 * runs the command and turns its errors into exit codes. Use as a picocli {@code @Mixin}.
 *
 * <p>Every option also reads an environment variable: {@code BATON_ADDRESS}, {@code BATON_OUTPUT},
 * {@code BATON_RPC_TIMEOUT}, {@code BATON_API_KEY}, {@code BATON_TLS}, {@code BATON_TLS_CA}, {@code
 * BATON_TLS_CLIENT_CERT}, {@code BATON_TLS_CLIENT_KEY}, {@code BATON_TLS_SERVER_NAME}.
 */
public final class ClientOptions {

  /** The address used when neither {@code --address} nor {@code BATON_ADDRESS} is given. */
  public static final String DEFAULT_ADDRESS = "127.0.0.1:7234";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:BATON_ADDRESS:-" + DEFAULT_ADDRESS + "}",
      converter = HostPort.Address.class,
      description = "Baton server to talk to (env BATON_ADDRESS; default: ${DEFAULT-VALUE}).")
  private HostPort server;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "${env:BATON_OUTPUT:-table}",
      converter = OutputFormat.Converter.class,
      description = "Output format: table or json (env BATON_OUTPUT; default: table).")
  private OutputFormat output;

  @Option(
      names = "--rpc-timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:BATON_RPC_TIMEOUT:-10s}",
      converter = DurationConverter.class,
      description =
          "How long to wait for the server's answer to each request, e.g. 10s, 1m"
              + " (env BATON_RPC_TIMEOUT; default: 10s). Watching is not limited.")
  private Duration rpcTimeout;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      defaultValue = "${env:BATON_API_KEY}",
      description =
          "API key for a server started with --auth api-key (env BATON_API_KEY; prefer the"
              + " variable: options show in the process list).")
  private String apiKey;

  @Option(
      names = "--tls",
      defaultValue = "${env:BATON_TLS:-false}",
      description =
          "Connect over TLS, trusting the system's CAs (env BATON_TLS=true; implied by the other"
              + " --tls-* options).")
  private boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_CA}",
      description = "PEM CA certificates to trust instead of the system's (env BATON_TLS_CA).")
  private Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_CLIENT_CERT}",
      description =
          "PEM client certificate, for a server started with --tls-client-ca"
              + " (env BATON_TLS_CLIENT_CERT).")
  private Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:BATON_TLS_CLIENT_KEY}",
      description = "Unencrypted PKCS#8 PEM private key of --tls-cert (env BATON_TLS_CLIENT_KEY).")
  private Path tlsKey;

  @Option(
      names = "--tls-server-name",
      paramLabel = "NAME",
      defaultValue = "${env:BATON_TLS_SERVER_NAME}",
      description =
          "Name the server's certificate is checked against instead of the --address host"
              + " (env BATON_TLS_SERVER_NAME).")
  private String tlsServerName;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  private boolean verbose;

  /**
   * Connects to the server, runs {@code action} and closes the connection. Failures become one line
   * on stderr and an exit code from {@link ExitCodes}; usage errors ({@link ParameterException})
   * are left to picocli.
   *
   * @return the action's exit code, or the failure's
   */
  public int run(ClientAction action) {
    BatonTls transport = tls();
    String address = server.toString();
    BatonClient client;
    try {
      client = BatonClient.connect(address, rpcTimeout, transport, apiKey, verbose);
    } catch (IllegalArgumentException e) {
      // A TLS file that is missing or not what it should be: a wrong option value, which the
      // message names.
      return report(new CommandFailure(ExitCodes.USAGE, e.getMessage()), e);
    }
    try (client) {
      return action.run(client);
    } catch (ParameterException e) {
      throw e;
    } catch (StatusRuntimeException e) {
      return report(
          GrpcErrors.toFailure(
              e, address, rpcTimeout, apiKey != null && !apiKey.isBlank(), transport),
          e);
    } catch (CommandFailure e) {
      return report(e, e);
    } catch (RuntimeException e) {
      String hint = verbose ? "" : " (rerun with --verbose for the stack trace)";
      return report(new CommandFailure(ExitCodes.ERROR, "unexpected " + e + hint), e);
    } finally {
      out().flush();
    }
  }

  /** The TLS settings of the options; a wrong TLS file fails later, when connecting. */
  private BatonTls tls() {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw usageError(
          "--tls-cert and --tls-key go together (env BATON_TLS_CLIENT_CERT and"
              + " BATON_TLS_CLIENT_KEY): give the client certificate and its private key");
    }
    BatonTls settings = tls ? BatonTls.systemTrust() : BatonTls.none();
    if (tlsCa != null) {
      settings = BatonTls.trusting(tlsCa);
    }
    if (tlsCert != null) {
      settings = settings.withClientCertificate(tlsCert, tlsKey);
    }
    return settings.withServerName(tlsServerName);
  }

  private int report(CommandFailure failure, Throwable cause) {
    out().flush();
    PrintWriter err = command.commandLine().getErr();
    err.println("error: " + failure.getMessage());
    if (verbose) {
      cause.printStackTrace(err);
    }
    err.flush();
    return failure.exitCode();
  }

  /**
   * A usage error of the command using these options: picocli prints it with the usage help and
   * exits with {@link ExitCodes#USAGE}.
   */
  public ParameterException usageError(String message) {
    return new ParameterException(command.commandLine(), message);
  }

  /** Where the command writes its results. */
  public PrintWriter out() {
    return command.commandLine().getOut();
  }

  /** The output format chosen with {@code --output}. */
  public OutputFormat output() {
    return output;
  }

  /** The server address chosen with {@code --address}. */
  public String address() {
    return server.toString();
  }
}
