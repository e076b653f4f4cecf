package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.command.CommandRunner;
import dev.baton.execution.OnCallerGone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlAgentCatalogTest {
  private static final AgentRunners RUNNERS =
      AgentRunners.of(new CommandRunner(), new AgentRunnersTest.EchoRunner("echo"));

  @TempDir Path dir;

  @Test
  void loadsOneAgentFileWithDefaults() throws IOException {
    Path file = write("echo.yaml", "name: echo\nrunner: echo\n");

    YamlAgentCatalog catalog = YamlAgentCatalog.load(file, RUNNERS);

    AgentDefinition agent = catalog.find("echo").orElseThrow();
    assertThat(agent.description()).isEmpty();
    assertThat(agent.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(agent.onCallerGone()).isEqualTo(OnCallerGone.CANCEL);
    assertThat(agent.settings().size()).isEqualTo(1);
    assertThat(AgentSettings.baseDirectory(agent)).contains(dir.toAbsolutePath());
  }

  @Test
  void loadsEveryField() throws IOException {
    Path file =
        write(
            "full.yaml",
            """
            name: shout.v2_x-1
            description: Shouts
            runner: command
            timeout: 90s
            onCallerGone: continue
            settings:
              command: [tr, a-z, A-Z]
              env: {LANG: C}
            """);

    AgentDefinition agent = YamlAgentCatalog.load(file, RUNNERS).find("shout.v2_x-1").orElseThrow();

    assertThat(agent.description()).isEqualTo("Shouts");
    assertThat(agent.runner()).isEqualTo("command");
    assertThat(agent.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(agent.onCallerGone()).isEqualTo(OnCallerGone.CONTINUE);
    assertThat(agent.settings().get("command").toString()).isEqualTo("[\"tr\",\"a-z\",\"A-Z\"]");
    assertThat(agent.settings().get("env").get("LANG").asText()).isEqualTo("C");
  }

  @Test
  void loadsAnAgentsList() throws IOException {
    Path file =
        write(
            "many.yaml",
            """
            agents:
              - name: b
                runner: echo
                timeout: PT5M
              - name: a
                runner: echo
                timeout: 500ms
            """);

    YamlAgentCatalog catalog = YamlAgentCatalog.load(file, RUNNERS);

    assertThat(catalog.list()).extracting(AgentDefinition::name).containsExactly("a", "b");
    assertThat(catalog.find("a").orElseThrow().timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(catalog.find("b").orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void loadsYamlAndYmlFilesOfADirectoryButNotItsSubdirectories() throws IOException {
    write("one.yaml", "name: one\nrunner: echo\n");
    write("two.yml", "agents:\n  - {name: two, runner: echo}\n  - {name: three, runner: echo}\n");
    write("notes.txt", "not an agent");
    Files.createDirectories(dir.resolve("nested"));
    write("nested/four.yaml", "name: four\nrunner: echo\n");

    YamlAgentCatalog catalog = YamlAgentCatalog.load(dir, RUNNERS);

    assertThat(catalog.list())
        .extracting(AgentDefinition::name)
        .containsExactly("one", "three", "two");
    assertThat(catalog.find("four")).isEmpty();
  }

  @Test
  void rejectsTheSameNameInTwoFiles() throws IOException {
    write("a.yaml", "name: dup\nrunner: echo\n");
    write("b.yaml", "name: dup\nrunner: echo\n");

    assertProblems(
        dir,
        dir.resolve("b.yaml")
            + ": agent 'dup': name is already used by an agent in "
            + dir.resolve("a.yaml")
            + "; agent names must be unique");
  }

  @Test
  void rejectsABadTimeoutNamingFileAgentAndField() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\ntimeout: 5x\n");

    assertProblems(
        file,
        file + ": agent 'foo': timeout '5x' is not a duration; expected e.g. 30s, 5m, 1h or PT5M");
  }

  @Test
  void rejectsATimeoutWithoutUnit() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\ntimeout: 30\n");

    assertProblems(
        file,
        file
            + ": agent 'foo': timeout '30' is not a duration; expected e.g. 30s, 5m, 1h or PT5M"
            + " (a unit is required)");
  }

  @Test
  void rejectsAZeroTimeout() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\ntimeout: 0s\n");

    assertProblems(
        file,
        file + ": agent 'foo': timeout '0s' must be positive; expected e.g. 30s, 5m, 1h or PT5M");
  }

  @Test
  void rejectsATimeoutLongerThanARequestMayAskForAndTakesTheLongest() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\ntimeout: 400d\n");
    write("bar.yaml", "name: bar\nrunner: echo\ntimeout: 168h\n");

    // The directory: bar's 7 days exactly is fine, only foo is refused.
    assertProblems(
        dir,
        file + ": agent 'foo': timeout '400d' is longer than 7d, the longest an agent may run");
  }

  @Test
  void rejectsAMissingName() throws IOException {
    Path file = write("foo.yaml", "runner: echo\n");

    assertProblems(file, file + ": the agent: name is missing; expected e.g. name: summarize");
  }

  @Test
  void rejectsAnInvalidName() throws IOException {
    Path file = write("foo.yaml", "agents:\n  - {name: Foo Bar, runner: echo}\n");

    assertProblems(
        file,
        file
            + ": agent #1: name 'Foo Bar' is not valid; expected 1-63 lowercase letters, digits,"
            + " '.', '_' or '-', starting with a letter or digit");
  }

  @Test
  void rejectsAMissingRunner() throws IOException {
    Path file = write("foo.yaml", "name: foo\n");

    assertProblems(file, file + ": agent 'foo': runner is missing; expected one of command, echo");
  }

  @Test
  void rejectsAnUnknownRunner() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: http\n");

    assertProblems(
        file, file + ": agent 'foo': runner 'http' is unknown; expected one of command, echo");
  }

  @Test
  void rejectsAnUnknownOnCallerGone() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\nonCallerGone: ignore\n");

    assertProblems(
        file,
        file + ": agent 'foo': onCallerGone 'ignore' is not valid; expected cancel or continue");
  }

  @Test
  void rejectsUnknownFieldsSoTyposAreNotIgnored() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\ntimout: 5m\n");

    assertProblems(
        file,
        file
            + ": agent 'foo': unknown field 'timout'; expected one of name, description, runner,"
            + " timeout, onCallerGone, maxConcurrent, settings");
  }

  @Test
  void readsMaxConcurrentAndDefaultsToTheServers() throws IOException {
    write("capped.yaml", "name: capped\nrunner: echo\nmaxConcurrent: 2\n");
    write("open.yaml", "name: open\nrunner: echo\n");

    YamlAgentCatalog catalog = YamlAgentCatalog.load(dir, RUNNERS);

    assertThat(catalog.find("capped").orElseThrow().maxConcurrent()).isEqualTo(2);
    assertThat(catalog.find("open").orElseThrow().maxConcurrent())
        .isEqualTo(AgentDefinition.SERVER_DEFAULT_CONCURRENCY);
  }

  @Test
  void rejectsAMaxConcurrentBelowOne() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\nmaxConcurrent: 0\n");

    assertProblems(
        file,
        file
            + ": agent 'foo': maxConcurrent must be a whole number of 1 or more (executions of this"
            + " agent that run at once), found number 0");
  }

  @Test
  void rejectsSettingsThatAreNotAMapping() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\nsettings: [a]\n");

    assertProblems(
        file,
        file + ": agent 'foo': settings must be a mapping of the runner's settings, found a list");
  }

  @Test
  void rejectsReservedSettings() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\nsettings: {$baseDirectory: /}\n");

    assertProblems(
        file,
        file
            + ": agent 'foo': settings.$baseDirectory is reserved for Baton; choose a name"
            + " without '$'");
  }

  @Test
  void reportsTheRunnersValidationProblem() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: command\nsettings: {command: ./run.sh}\n");

    assertThatThrownBy(() -> YamlAgentCatalog.load(file, RUNNERS))
        .isInstanceOf(AgentCatalogException.class)
        .hasMessageStartingWith(
            file + ": agent 'foo': settings.command must be a non-empty list of the program");
  }

  @Test
  void rejectsAnAgentsFileWithOtherFields() throws IOException {
    Path file = write("foo.yaml", "agents: []\nname: foo\n");

    assertProblems(
        file,
        file
            + ": a file with 'agents:' may hold nothing else; move the other fields into an agent"
            + " of the list");
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    Path file = write("foo.yaml", "# nothing here\n");

    assertProblems(
        file, file + ": is empty; expected an agent mapping or 'agents:' with a list of them");
  }

  @Test
  void rejectsAKeyWrittenTwice() throws IOException {
    Path file = write("foo.yaml", "name: foo\nrunner: echo\nname: bar\n");

    assertThatThrownBy(() -> YamlAgentCatalog.load(file, RUNNERS))
        .isInstanceOf(AgentCatalogException.class)
        .hasMessageStartingWith(file + ": is not valid YAML: Duplicate field 'name'");
  }

  @Test
  void rejectsMalformedYamlWithItsLocation() throws IOException {
    Path file = write("foo.yaml", "name: foo\n  runner: [echo\n");

    assertThatThrownBy(() -> YamlAgentCatalog.load(file, RUNNERS))
        .isInstanceOf(AgentCatalogException.class)
        .hasMessageStartingWith(file + ": is not valid YAML:")
        .hasMessageContaining("(line ");
  }

  @Test
  void rejectsAMissingPath() {
    Path missing = dir.resolve("nope");

    assertProblems(
        missing,
        missing + ": no such file or directory; expected a YAML file or a directory of them");
  }

  @Test
  void reportsEveryProblemAtOnce() throws IOException {
    write("a.yaml", "name: a\nrunner: echo\ntimeout: soon\n");
    write("b.yaml", "name: b\nrunner: nope\n");

    assertThatThrownBy(() -> YamlAgentCatalog.load(dir, RUNNERS))
        .isInstanceOfSatisfying(
            AgentCatalogException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("a.yaml: agent 'a': timeout 'soon'"))
                    .anySatisfy(p -> assertThat(p).contains("b.yaml: agent 'b': runner 'nope'")));
  }

  private void assertProblems(Path path, String... problems) {
    assertThatThrownBy(() -> YamlAgentCatalog.load(path, RUNNERS))
        .isInstanceOfSatisfying(
            AgentCatalogException.class, e -> assertThat(e.problems()).containsExactly(problems));
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
