package dev.baton.cli.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where {@code exec create} takes the agent's message from: exactly one of its options. */
final class MessageSource {

  /** The value of {@code --message} or {@code --message-file} that means standard input. */
  static final String STDIN = "-";

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEXT",
      required = true,
      description = "The message for the agent; '-' reads it from standard input.")
  private String text;

  @Option(
      names = "--message-file",
      paramLabel = "FILE",
      required = true,
      description = "Reads the message from FILE (UTF-8); '-' reads standard input.")
  private String file;

  /**
   * Reads the message verbatim.
   *
   * @throws IOException when the file or standard input cannot be read
   */
  String read(InputStream stdin) throws IOException {
    if (text != null) {
      return STDIN.equals(text) ? readAll(stdin) : text;
    }
    return STDIN.equals(file) ? readAll(stdin) : Files.readString(Path.of(file));
  }

  /** Where the message came from, for error messages. */
  String origin() {
    if (text != null) {
      return STDIN.equals(text) ? "standard input" : "--message";
    }
    return STDIN.equals(file) ? "standard input" : "--message-file " + file;
  }

  private static String readAll(InputStream stdin) throws IOException {
    return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
  }
}
