package dev.baton.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the real {@code baton} command in-process and captures what it prints, with {@code \n} line
 * ends.
 */
public final class Cli {

  private Cli() {}

  private static String unix(String text) {
    return text.replace(System.lineSeparator(), "\n");
  }

  /** Runs {@code baton args} with empty standard input. */
  public static CliResult run(String... args) {
    return runWithStdin("", args);
  }

  /** Runs {@code baton args} with {@code stdin} as standard input. */
  public static CliResult runWithStdin(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = BatonCli.commandLine(new BatonCli(in), args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new CliResult(exitCode, unix(out.toString()), unix(err.toString()));
  }
}
