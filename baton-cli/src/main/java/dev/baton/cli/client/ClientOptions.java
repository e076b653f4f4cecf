package dev.baton.cli.client;

import dev.baton.cli.ExitCodes;
import dev.baton.cli.output.OutputFormat;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
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
 * {@code BATON_RPC_TIMEOUT}, {@code BATON_API_KEY}.
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
      description = "Baton server to talk to (env BATON_ADDRESS; default: ${DEFAULT-VALUE}).")
  private String address;

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
    try (BatonClient client = BatonClient.connect(address, rpcTimeout, apiKey)) {
      return action.run(client);
    } catch (ParameterException e) {
      throw e;
    } catch (StatusRuntimeException e) {
      return report(
          GrpcErrors.toFailure(e, address, rpcTimeout, apiKey != null && !apiKey.isBlank()), e);
    } catch (CommandFailure e) {
      return report(e, e);
    } catch (RuntimeException e) {
      String hint = verbose ? "" : " (rerun with --verbose for the stack trace)";
      return report(new CommandFailure(ExitCodes.ERROR, "unexpected " + e + hint), e);
    } finally {
      out().flush();
    }
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
    return address;
  }
}
