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

  /**
   * The server could not be reached, did not answer in time, dropped the call (it stopped or
   * restarted) or throttled the caller: UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED not asked for by
   * the user, RESOURCE_EXHAUSTED. Running the command again later may succeed.
   */
  public static final int UNAVAILABLE = 5;

  /** The server rejected the request as INVALID_ARGUMENT. */
  public static final int INVALID_ARGUMENT = 6;

  /**
   * The server refused the request in the execution's current state or as a conflict
   * (FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED), e.g. completing the caller of an execution
   * whose agent still runs. Retrying the same request will not help until the state changes.
   */
  public static final int REFUSED = 7;

  /** The server did not accept the caller: UNAUTHENTICATED or PERMISSION_DENIED. */
  public static final int NOT_ALLOWED = 8;

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
      "5:Server unavailable, too slow to answer, gone mid-call or throttling: is `baton server`"
          + " running? Retry later.";
  static final String HELP_INVALID_ARGUMENT = "6:The server rejected the request as invalid.";
  static final String HELP_REFUSED =
      "7:The server refused the request in the execution's current state or as a conflict.";
  static final String HELP_NOT_ALLOWED =
      "8:Not authenticated or not allowed: check the API key and its scope.";

  private ExitCodes() {}
}
