package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.ReloadingAgentCatalog.Reload;
import dev.baton.agent.command.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Agent files changed on disk are loaded without a restart, and only when they are valid. */
class ReloadingAgentCatalogTest {
  private static final AgentRunners RUNNERS =
      AgentRunners.of(new CommandRunner(), new AgentRunnersTest.EchoRunner("echo"));

  @TempDir Path dir;
  private final Observed observed = new Observed();

  @Test
  void addedChangedAndRemovedAgentsLoadOnTheNextCheck() throws IOException {
    write("a.yaml", "name: a\nrunner: echo\ntimeout: 1m\n");
    write("b.yaml", "name: b\nrunner: echo\n");
    ReloadingAgentCatalog catalog = ReloadingAgentCatalog.load(dir, RUNNERS, observed);
    assertThat(observed.agents.get()).isEqualTo(2);

    write("a.yaml", "name: a\nrunner: echo\ntimeout: 2m\n");
    write("c.yaml", "name: c\nrunner: echo\n");
    Files.delete(dir.resolve("b.yaml"));

    assertThat(catalog.reload()).isEqualTo(Reload.LOADED);
    assertThat(catalog.list()).extracting(AgentDefinition::name).containsExactly("a", "c");
    assertThat(catalog.find("a").orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(catalog.find("b")).isEmpty();
    assertThat(observed.agents.get()).isEqualTo(2);
    assertThat(observed.refused.get()).isFalse();
  }

  @Test
  void filesWithAProblemAreRefusedAndTheAgentsLoadedBeforeStayUntilTheFilesAreFixed()
      throws IOException {
    write("a.yaml", "name: a\nrunner: echo\n");
    ReloadingAgentCatalog catalog = ReloadingAgentCatalog.load(dir, RUNNERS, observed);
    write("b.yaml", "name: b\nrunner: echo\n");
    write("a.yaml", "name: a\nrunner: echo\ntimeout: soon\n");

    assertThat(catalog.reload()).isEqualTo(Reload.REFUSED);
    assertThat(catalog.list()).extracting(AgentDefinition::name).containsExactly("a");
    assertThat(observed.refused.get()).isTrue();
    // The same broken files are not reported again on every check.
    assertThat(catalog.reload()).isEqualTo(Reload.UNCHANGED);

    write("a.yaml", "name: a\nrunner: echo\ntimeout: 30s\n");

    assertThat(catalog.reload()).isEqualTo(Reload.LOADED);
    assertThat(catalog.list()).extracting(AgentDefinition::name).containsExactly("a", "b");
    assertThat(observed.refused.get()).isFalse();
  }

  @Test
  void rewritingAFileWithTheSameContentIsNoChange() throws IOException {
    write("a.yaml", "name: a\nrunner: echo\n");
    ReloadingAgentCatalog catalog = ReloadingAgentCatalog.load(dir, RUNNERS, observed);
    write("a.yaml", "name: a\nrunner: echo\n");

    assertThat(catalog.reload()).isEqualTo(Reload.UNCHANGED);
  }

  @Test
  void aDirectoryThatDoesNotExistYetServesNoAgentsUntilItAppears() throws IOException {
    Path later = dir.resolve("later");
    ReloadingAgentCatalog catalog = ReloadingAgentCatalog.load(later, RUNNERS, observed);
    assertThat(catalog.list()).isEmpty();
    assertThat(catalog.reload()).isEqualTo(Reload.UNCHANGED);

    Files.createDirectories(later);
    Files.writeString(later.resolve("a.yaml"), "name: a\nrunner: echo\n");

    assertThat(catalog.reload()).isEqualTo(Reload.LOADED);
    assertThat(catalog.find("a")).isPresent();
  }

  @Test
  void removingEveryFileKeepsTheAgentsLoadedBefore() throws IOException {
    write("a.yaml", "name: a\nrunner: echo\n");
    ReloadingAgentCatalog catalog = ReloadingAgentCatalog.load(dir, RUNNERS, observed);
    Files.delete(dir.resolve("a.yaml"));

    assertThat(catalog.reload()).isEqualTo(Reload.REFUSED);
    assertThat(catalog.find("a")).isPresent();
    assertThat(observed.refused.get()).isTrue();
  }

  @Test
  void aFirstLoadWithAProblemFailsAsBefore() throws IOException {
    write("a.yaml", "name: a\nrunner: nobody\n");

    assertThatThrownBy(() -> ReloadingAgentCatalog.load(dir, RUNNERS, observed))
        .isInstanceOf(AgentCatalogException.class)
        .hasMessageContaining("runner 'nobody' is unknown");
  }

  private void write(String name, String yaml) throws IOException {
    Files.writeString(dir.resolve(name), yaml);
  }

  /** What the catalog told its observer last. */
  private static final class Observed implements AgentCatalogObserver {
    final AtomicInteger agents = new AtomicInteger(-1);
    final AtomicReference<Boolean> refused = new AtomicReference<>();

    @Override
    public void agentsLoaded(int count) {
      agents.set(count);
    }

    @Override
    public void agentFilesRefused(boolean value) {
      refused.set(value);
    }
  }
}
