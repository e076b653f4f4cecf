package dev.baton.cli;

/**
 * The exit codes of the {@code baton} command. Scripts may rely on them; they are listed in every
 * command's {@code --help}.
 */
public final class ExitCodes {

  /** The command did what was asked. */
  public static final int OK = 0;

  /** An unexpected error: a bug, an I/O problem, or a gRPC status without a code of its own. */
  public static final int ERROR = 1;

  /** The command line was wrong (picocli's usage error). */
  public static final int USAGE = 2;

  /** The server answered NOT_FOUND: no execution or agent by that name. */
  public static final int NOT_FOUND = 3;

  /** The watched execution ended FAILED or CANCELLED. */
  public static final int EXECUTION_UNSUCCESSFUL = 4;

  /** The server could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED). */
  public static final int UNAVAILABLE = 5;

  /** The server rejected the request as INVALID_ARGUMENT. */
  public static final int INVALID_ARGUMENT = 6;

  /** Heading of the exit code list shown in {@code --help}. */
  static final String HELP_HEADING = "%nExit codes:%n";

  /** Entries of the exit code list shown in {@code --help} ("code:description"). */
  static final String HELP_OK = "0:Success.";

  static final String HELP_ERROR = "1:Unexpected error.";
  static final String HELP_USAGE = "2:Usage error: wrong options or arguments.";
  static final String HELP_NOT_FOUND = "3:Not found: no execution or agent with that name.";
  static final String HELP_EXECUTION_UNSUCCESSFUL =
      "4:The execution ended FAILED or CANCELLED (exec watch, exec create --watch).";
  static final String HELP_UNAVAILABLE =
      "5:Server unavailable or too slow to answer: is `baton server` running?";
  static final String HELP_INVALID_ARGUMENT = "6:The server rejected the request as invalid.";

  private ExitCodes() {}
}
