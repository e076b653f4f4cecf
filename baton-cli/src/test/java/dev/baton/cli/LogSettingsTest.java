package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BATON_LOG_FORMAT} and {@code BATON_LOG_LEVEL}, in a JVM of its own with the CLI's real
 * logback configuration: a server start that logs one line ({@code Loaded 4 agent(s)}) and then
 * fails on a database nobody listens on.
 */
class LogSettingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void acceptsTheFormatInAnyCaseAndLogsJson() throws Exception {
    Run run = server(Map.of("BATON_LOG_FORMAT", " JSON "));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    String loaded =
        run.err()
            .lines()
            .filter(line -> line.contains("Loaded 4 agent(s)"))
            .findFirst()
            .orElseThrow();
    assertThat(JSON.readTree(loaded).path("level").asText()).isEqualTo("INFO");
  }

  @Test
  void refusesAFormatItCannotWriteInsteadOfLoggingNothing() throws Exception {
    Run run = server(Map.of("BATON_LOG_FORMAT", "xml"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo("baton: BATON_LOG_FORMAT must be text or json, got 'xml'; unset it for text\n");
  }

  @Test
  void refusesAnUnknownLevel() throws Exception {
    Run run = server(Map.of("BATON_LOG_LEVEL", "LOUD"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("baton: BATON_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF,")
        .contains("got 'LOUD'");
  }

  @Test
  void appliesALowerCaseLevel() throws Exception {
    Run quiet = server(Map.of("BATON_LOG_LEVEL", "warn"));
    Run blank = server(Map.of("BATON_LOG_LEVEL", "", "BATON_LOG_FORMAT", ""));

    assertThat(quiet.exitCode()).as(quiet.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(quiet.err())
        .doesNotContain("Loaded 4 agent(s)")
        .contains("cannot open the database");
    assertThat(blank.exitCode()).as(blank.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(blank.err()).contains("INFO  dev.baton.agent.YamlAgentCatalog - Loaded 4 agent(s)");
  }

  private record Run(int exitCode, String err) {}

  private Run server(Map<String, String> env) throws IOException, InterruptedException {
    Path home = Files.createTempDirectory(dir, "home");
    Path err = home.resolve("err.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The test classpath holds logback-test.xml; the CLI's own configuration is under test here.
    URL logback = LogSettingsTest.class.getResource("/logback.xml");
    assertThat(logback).as("the CLI's logback.xml on the classpath").isNotNull();
    command.add("-Dlogback.configurationFile=" + logback);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.baton.cli.BatonCli"));
    command.addAll(
        List.of(
            "server",
            "--home",
            home.toString(),
            "--agents",
            RealBatonServer.REPO_AGENTS.toString(),
            "--listen",
            "127.0.0.1:0",
            "--embedded-temporal-port",
            "0",
            "--metrics-port",
            "0",
            "--database-url",
            "jdbc:postgresql://127.0.0.1:1/baton"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("BATON_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "baton server did not end within a minute:\n" + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(err));
  }
}
