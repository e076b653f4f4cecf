package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BATON_LOG_FORMAT=json}: {@code baton demo --verbose} in a JVM of its own, with the CLI's
 * real logback configuration, writes nothing to stderr but JSON log events, and every handshake
 * step names the execution, the caller's workflow and activity, and the token's fingerprint.
 */
class JsonLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREATED =
      Pattern.compile(
          "execution created execution=(\\S+) agent=\\S+ callerWorkflow=(\\S+)"
              + " callerActivity=(\\S+) token=([0-9a-f]{12})");
  private static final List<String> HANDSHAKE_STEPS =
      List.of(
          "execution created ",
          "agent call handed to baton ",
          "execution started ",
          "execution finished ",
          "callback delivered ");

  @TempDir static Path dir;
  static int exitCode;
  static String stdout;
  static List<String> stderrLines;

  @BeforeAll
  static void runDemoWithJsonLogs() throws IOException, InterruptedException {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The test classpath holds logback-test.xml; the CLI's own configuration is under test here.
    URL logback = JsonLogFormatTest.class.getResource("/logback.xml");
    assertThat(logback).as("the CLI's logback.xml on the classpath").isNotNull();
    command.add("-Dlogback.configurationFile=" + logback);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.baton.cli.BatonCli"));
    command.addAll(
        List.of("demo", "--verbose", "--agents", RealBatonServer.REPO_AGENTS.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("BATON_"));
    builder.environment().put("BATON_LOG_FORMAT", "json");
    builder.environment().put("BATON_LOG_LEVEL", "INFO");
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "baton demo did not end within 3 minutes:\n" + Files.readString(err));
    }
    exitCode = process.exitValue();
    stdout = Files.readString(out);
    stderrLines = Files.readAllLines(err).stream().filter(line -> !line.isBlank()).toList();
  }

  @Test
  void everyStderrLineIsAJsonLogEventWithLevelLoggerAndMessage() {
    assertThat(exitCode).as(String.join("\n", stderrLines)).isZero();
    assertThat(stdout).contains("handshake overhead");
    assertThat(stderrLines).isNotEmpty();
    for (String line : stderrLines) {
      JsonNode event = parse(line);
      assertThat(event.isObject()).as(line).isTrue();
      assertThat(event.path("level").asText()).as(line).isIn("ERROR", "WARN", "INFO", "DEBUG");
      assertThat(event.path("loggerName").asText()).as(line).isNotBlank();
      assertThat(event.path("message").asText()).as(line).isNotBlank();
      assertThat(event.path("formattedMessage").asText()).as(line).isNotBlank();
    }
  }

  @Test
  void everyHandshakeStepLogsExecutionCallerAndTokenFingerprint() {
    List<String> messages =
        stderrLines.stream().map(line -> parse(line).path("formattedMessage").asText()).toList();
    List<Matcher> created =
        messages.stream().map(CREATED::matcher).filter(Matcher::lookingAt).toList();
    // the demo's warm-up call and its two parallel calls
    assertThat(created).hasSizeGreaterThanOrEqualTo(3);

    for (Matcher execution : created) {
      String id = execution.group(1);
      List<String> steps =
          messages.stream().filter(message -> message.contains("execution=" + id + " ")).toList();
      for (String step : HANDSHAKE_STEPS) {
        assertThat(steps)
            .as("the '%s' step of execution %s", step.strip(), id)
            .filteredOn(message -> message.startsWith(step))
            .singleElement()
            .satisfies(
                message ->
                    assertThat(message)
                        .contains(execution.group(2))
                        .contains(execution.group(3))
                        .contains("token=" + execution.group(4)));
      }
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not a JSON log event: " + line, e);
    }
  }
}
