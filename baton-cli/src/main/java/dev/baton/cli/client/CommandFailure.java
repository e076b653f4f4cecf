package dev.baton.cli.client;

/**
 * Ends a command with an exit code and a one-line message for stderr, without a stack trace. Thrown
 * inside {@link ClientOptions#run(ClientAction)}, which reports it.
 */
public final class CommandFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode the process exit code, one of {@link dev.baton.cli.ExitCodes}
   * @param message what went wrong and what to do next
   */
  public CommandFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The process exit code. */
  public int exitCode() {
    return exitCode;
  }
}
