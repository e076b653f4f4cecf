package dev.baton.cli;

import dev.baton.cli.agent.AgentCommand;
import dev.baton.cli.apikey.ApiKeyCommand;
import dev.baton.cli.demo.DemoCommand;
import dev.baton.cli.exec.ExecCommand;
import dev.baton.cli.server.DevTemporalCommand;
import dev.baton.cli.server.ServerCommand;
import dev.baton.cli.status.StatusCommand;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code baton} command: the entry point of the Baton CLI.
 *
 * <p>Subcommands are listed in {@link #SUBCOMMANDS}; each is a class of its own. Client subcommands
 * ({@code agent ...}, {@code exec ...}) talk to a running {@code baton server} over gRPC and share
 * the options of {@link dev.baton.cli.client.ClientOptions}. The help options, the version and the
 * exit code list are inherited by every subcommand ({@link ScopeType#INHERIT}).
 *
 * <p>Exit codes (see {@link ExitCodes}):
 *
 * <ul>
 *   <li>0: success
 *   <li>1: unexpected error
 *   <li>2: usage error (wrong options or arguments)
 *   <li>3: not found (gRPC NOT_FOUND)
 *   <li>4: the execution ended FAILED or CANCELLED ({@code exec watch}, {@code exec create
 *       --watch})
 *   <li>5: server unavailable (gRPC UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED by the server,
 *       RESOURCE_EXHAUSTED)
 *   <li>6: invalid argument (gRPC INVALID_ARGUMENT)
 *   <li>7: refused in the current state or as a conflict (FAILED_PRECONDITION, ALREADY_EXISTS,
 *       ABORTED)
 *   <li>8: not authenticated or not allowed (UNAUTHENTICATED, PERMISSION_DENIED)
 * </ul>
 */
@Command(
    name = "baton",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs AI agents as durable, asynchronous steps of Temporal workflows.",
    synopsisSubcommandLabel = "COMMAND",
    exitCodeListHeading = ExitCodes.HELP_HEADING,
    exitCodeList = {
      ExitCodes.HELP_OK,
      ExitCodes.HELP_ERROR,
      ExitCodes.HELP_USAGE,
      ExitCodes.HELP_NOT_FOUND,
      ExitCodes.HELP_EXECUTION_UNSUCCESSFUL,
      ExitCodes.HELP_UNAVAILABLE,
      ExitCodes.HELP_INVALID_ARGUMENT,
      ExitCodes.HELP_REFUSED,
      ExitCodes.HELP_NOT_ALLOWED
    })
public final class BatonCli {

  /** The subcommands, each made only when a command line names it (see {@link Subcommands}). */
  private static final Subcommands SUBCOMMANDS =
      new Subcommands()
          .add("server", ServerCommand::new)
          .add("dev-temporal", DevTemporalCommand::new)
          .add("agent", AgentCommand::new)
          .add("exec", ExecCommand::new, ExecCommand.subcommands())
          .add("status", StatusCommand::new)
          .add("api-key", ApiKeyCommand::new)
          .add("demo", DemoCommand::new);

  private final InputStream stdin;

  /** A CLI that reads standard input from {@link System#in}. */
  public BatonCli() {
    this(System.in);
  }

  /**
   * A CLI that reads standard input (e.g. {@code exec create --message -}) from {@code stdin}.
   *
   * @param stdin what the commands read as standard input
   */
  public BatonCli(InputStream stdin) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
  }

  /** Standard input as seen by the commands. */
  public InputStream stdin() {
    return stdin;
  }

  /**
   * Runs {@code baton} and exits the JVM with the command's exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    Optional<String> logProblem = LogSettings.apply(System.getenv());
    if (logProblem.isPresent()) {
      System.err.println("baton: " + logProblem.get());
      System.exit(ExitCodes.USAGE);
    }
    System.exit(commandLine(new BatonCli(), args).execute(args));
  }

  /**
   * The command line that runs {@code args}: the root command with, at each level, the subcommand
   * {@code args} names, or with every subcommand where it names none (help, a typo), so that usage
   * and error messages list them all.
   *
   * @param cli the root command
   * @param args the command line about to be run
   */
  public static CommandLine commandLine(BatonCli cli, String... args) {
    CommandLine root = new CommandLine(cli);
    SUBCOMMANDS.addTo(root, args, 0);
    // After the subcommands are added: the handler reaches those present now.
    root.setParameterExceptionHandler(new OptionValueErrors(root.getParameterExceptionHandler()));
    return root;
  }
}
