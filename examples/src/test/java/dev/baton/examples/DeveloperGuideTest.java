package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The developer guide's Java snippets are copies of the examples' code, so they cannot drift. */
class DeveloperGuideTest {
  private static final Path GUIDE = Path.of("..", "docs", "guides", "developer-guide.md");
  private static final Path SOURCES = Path.of("src", "main", "java", "dev", "baton", "examples");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetInTheGuideIsCopiedFromAnExample() throws IOException {
    List<String> sources = new ArrayList<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : files.toList()) {
        sources.add(Files.readString(file));
      }
    }
    Matcher blocks = JAVA_BLOCK.matcher(Files.readString(GUIDE));
    List<String> snippets = new ArrayList<>();
    while (blocks.find()) {
      snippets.add(blocks.group(1));
    }

    assertThat(snippets).isNotEmpty();
    assertThat(snippets)
        .allSatisfy(
            snippet ->
                assertThat(sources)
                    .as("an example source containing:%n%s", snippet)
                    .anyMatch(source -> source.contains(snippet)));
  }
}
