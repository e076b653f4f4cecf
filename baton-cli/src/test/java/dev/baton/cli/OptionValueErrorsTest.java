package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class OptionValueErrorsTest {
  /** PATH is set wherever tests run, and is never a number. */
  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--slots", defaultValue = "${env:PATH}")
    int slots;

    @Option(names = "--limit", defaultValue = "${env:BATON_TEST_SURELY_UNSET_VARIABLE:-7}")
    int limit;

    /** PATH holds a slash wherever tests run. */
    @Option(names = "--dir-name", defaultValue = "${env:PATH}")
    String dirName;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (dirName.contains("/")) {
        // As commands check values after parsing: the message starts with the option.
        throw new ParameterException(spec.commandLine(), "--dir-name must not contain a slash");
      }
      return 0;
    }
  }

  @Test
  void aBadValueFromTheEnvironmentNamesItsVariable() {
    StringWriter err = new StringWriter();

    int exit = run(err);

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .startsWith("Invalid value for option '--slots'")
        .contains("(from the environment variable PATH)")
        .endsWith("\nRun 'probe --help' for its options and their values.\n")
        .doesNotContain("Usage:");
    assertThat(err.toString().lines()).hasSize(2);
  }

  @Test
  void aBadValueOnTheCommandLineNamesOnlyTheOption() {
    StringWriter err = new StringWriter();

    int exit = run(err, "--slots=many");
    int spaced = run(new StringWriter(), "--slots", "many");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(spaced).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("Invalid value for option '--slots'", "'many'")
        .doesNotContain("environment variable");
  }

  @Test
  void aGoodValueFromTheEnvironmentIsNotAnError() {
    StringWriter err = new StringWriter();

    int exit = run(err, "--slots", "3", "--limit", "x");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'--limit'").doesNotContain("environment variable");
  }

  @Test
  void aCommandsOwnCheckOfAValueFromTheEnvironmentNamesItsVariable() {
    StringWriter fromEnvironment = new StringWriter();
    StringWriter given = new StringWriter();

    int exit = run(fromEnvironment, "--slots", "1");
    int givenExit = run(given, "--slots", "1", "--dir-name", "a/b");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(fromEnvironment.toString())
        .startsWith("--dir-name must not contain a slash (from the environment variable PATH)");
    assertThat(givenExit).isEqualTo(ExitCodes.USAGE);
    assertThat(given.toString())
        .startsWith("--dir-name must not contain a slash")
        .doesNotContain("environment variable");
  }

  private static int run(StringWriter err, String... args) {
    CommandLine line = new CommandLine(new Probe());
    line.setErr(new PrintWriter(err));
    line.setParameterExceptionHandler(new OptionValueErrors(line.getParameterExceptionHandler()));
    return line.execute(args);
  }
}
