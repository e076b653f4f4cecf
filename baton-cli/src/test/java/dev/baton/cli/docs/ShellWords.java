package dev.baton.cli.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a shell command line into words as bash would for simple commands: quotes and backslashes
 * removed, stopping at an unquoted comment ({@code #}), pipe, {@code ;}, {@code &} or redirection.
 */
final class ShellWords {
  private ShellWords() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          word.append(line.charAt(++i));
        } else {
          word.append(c);
        }
        continue;
      }
      if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if ((c == '#' && !inWord) || c == '|' || c == ';' || c == '&') {
        break;
      } else if (c == '>' && (!inWord || isRedirectTarget(line, i + 1))) {
        // A redirection (">file", "2>&1"); a '>' inside a word closes a placeholder like <id>.
        if (inWord && word.chars().allMatch(Character::isDigit)) {
          inWord = false;
        }
        break;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static boolean isRedirectTarget(String line, int next) {
    return next < line.length() && (line.charAt(next) == '&' || line.charAt(next) == '/');
  }
}
