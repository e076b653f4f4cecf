package dev.baton.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown document of the repository and the shell commands in its fenced {@code sh} and {@code
 * bash} blocks, as the doc tests read them.
 */
final class MarkdownDoc {
  /** The repository root, seen from the {@code baton-cli} module directory. */
  static final Path ROOT = Path.of("..");

  static final MarkdownDoc README = new MarkdownDoc(ROOT.resolve("README.md"));
  static final MarkdownDoc DEVELOPER_GUIDE =
      new MarkdownDoc(ROOT.resolve("docs/guides/developer-guide.md"));
  static final MarkdownDoc RUNBOOK =
      new MarkdownDoc(ROOT.resolve("docs/guides/operator-runbook.md"));

  private static final Pattern BLOCK =
      Pattern.compile(
          "(?:<!-- runbook-test: ([a-z0-9-]+) -->\\n)?```(sh|bash)\\n(.*?)```", Pattern.DOTALL);

  private final Path path;

  private MarkdownDoc(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  String text() {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code bash} block right after {@code <!-- runbook-test: name -->}. */
  String markedBlock(String name) {
    Matcher blocks = BLOCK.matcher(text());
    while (blocks.find()) {
      if (name.equals(blocks.group(1))) {
        return blocks.group(3);
      }
    }
    throw new AssertionError(
        path + " has no ```bash block marked <!-- runbook-test: " + name + " -->");
  }

  /**
   * Every command of the document's {@code sh} and {@code bash} blocks: continuation lines joined,
   * blank lines left out, each with the words of the first command of its pipeline (quotes removed,
   * comments dropped).
   */
  List<Command> commands() {
    List<Command> commands = new ArrayList<>();
    Matcher blocks = BLOCK.matcher(text());
    while (blocks.find()) {
      String joined = blocks.group(3).replace("\\\n", " ");
      for (String line : joined.split("\n")) {
        List<String> words = ShellWords.split(line);
        if (!words.isEmpty()) {
          commands.add(new Command(path.getFileName().toString(), line.strip(), words));
        }
      }
    }
    return commands;
  }

  /** One documented command line and its words. */
  record Command(String doc, String line, List<String> words) {
    String program() {
      return words.get(0);
    }

    @Override
    public String toString() {
      return doc + ": " + line;
    }
  }
}
