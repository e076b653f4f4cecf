package dev.baton.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a usage error (a bad option value, options that exclude each other, a missing option or
 * argument, an unreadable message file) in a line or two instead of the command's whole help: the
 * error, the environment variable a bad value came from when the user did not type the option
 * (every option takes its default from a {@code BATON_*} variable, {@code ${env:NAME}}, and picocli
 * names only the option, which sends a user who never typed it looking in the wrong place), and
 * where the options are described. An unknown command or option and a missing subcommand keep
 * picocli's answer, which lists what there is.
 */
final class OptionValueErrors implements IParameterExceptionHandler {
  private static final String PREFIX = "${env:";

  private final IParameterExceptionHandler standard;

  OptionValueErrors(IParameterExceptionHandler standard) {
    this.standard = standard;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) throws Exception {
    if (e.getCommandLine() == null || listsWhatThereIs(e)) {
      return standard.handleParseException(e, args);
    }
    ArgSpec arg = e.getArgSpec() != null ? e.getArgSpec() : namedFirst(e);
    String message = e.getMessage();
    if (arg instanceof OptionSpec option && !given(option, args)) {
      String variable = variable(option.defaultValueString(false));
      if (variable != null && System.getenv(variable) != null) {
        message += " (from the environment variable " + variable + ")";
      }
    }
    CommandLine line = e.getCommandLine();
    line.getErr().println(message);
    line.getErr()
        .println(
            "Run '"
                + line.getCommandSpec().qualifiedName()
                + " --help' for its options and their values.");
    line.getErr().flush();
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * An unknown command or option (picocli suggests the near ones) or a missing subcommand: the
   * usage, which lists the commands and options there are, is the useful answer.
   */
  private static boolean listsWhatThereIs(ParameterException e) {
    return e instanceof UnmatchedArgumentException
        || (e.getMessage() != null && e.getMessage().startsWith("Missing required subcommand"));
  }

  /**
   * The option a command's own check names first ("--agent-slots must be at least 1"): such errors
   * come from the command, after parsing, without the option attached.
   */
  private static ArgSpec namedFirst(ParameterException e) {
    String message = e.getMessage();
    if (message == null || e.getCommandLine() == null) {
      return null;
    }
    int end = message.indexOf(' ');
    String first = end < 0 ? message : message.substring(0, end);
    return e.getCommandLine().getCommandSpec().findOption(first);
  }

  /** Whether {@code args} name the option, as {@code --name value} or {@code --name=value}. */
  private static boolean given(OptionSpec option, String[] args) {
    return Arrays.stream(args)
        .anyMatch(
            word ->
                Arrays.stream(option.names())
                    .anyMatch(name -> word.equals(name) || word.startsWith(name + "=")));
  }

  /** NAME of a default {@code ${env:NAME}} or {@code ${env:NAME:-fallback}}; else null. */
  private static String variable(String defaultValue) {
    if (defaultValue == null || !defaultValue.startsWith(PREFIX) || !defaultValue.endsWith("}")) {
      return null;
    }
    String inner = defaultValue.substring(PREFIX.length(), defaultValue.length() - 1);
    int fallback = inner.indexOf(":-");
    return fallback < 0 ? inner : inner.substring(0, fallback);
  }
}
