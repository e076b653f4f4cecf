package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.baton.callback.AgentResult;
import dev.baton.execution.ExecutionIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * An llm agent whose API key, base URL and header reference secrets of the server's secrets file:
 * the model (a local server speaking OpenAI's protocol) receives them resolved, and nothing Baton
 * keeps or says holds them: not the database, the API, the events, the Temporal history, the
 * caller's result or error, nor any log line.
 */
class LlmSecretsEndToEndTest {
  private static final String KEY = "sk-e2e-" + "9d0c5b71aa";
  private static final String ORG = "org-e2e-" + "31f7";
  private static final String TENANT = "tenant-e2e-" + "c84e";
  private static final List<String> SECRETS = List.of(KEY, ORG, TENANT);

  @TempDir static Path home;
  @TempDir static Path secretsDir;
  static HttpServer model;
  static final List<String> seen = new CopyOnWriteArrayList<>();
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static TestBaton baton;
  static Level previousLevel;

  @BeforeAll
  static void start() throws IOException {
    captureLogs();
    model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    model.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String authorization = exchange.getRequestHeaders().getFirst("Authorization");
          seen.add(
              exchange.getRequestURI().getPath()
                  + " | "
                  + authorization
                  + " | "
                  + exchange.getRequestHeaders().getFirst("OpenAI-Organization"));
          // The refused model echoes what it got, as real providers do with a wrong key.
          boolean refuse = body.contains("refused-model");
          byte[] reply =
              (refuse
                      ? "{\"error\":{\"message\":\"Incorrect API key provided: "
                          + authorization
                          + " for "
                          + exchange.getRequestURI().getPath()
                          + "\"}}"
                      : "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"model\":"
                          + "\"test-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
                          + "\"assistant\",\"content\":\"forty-two\"},\"finish_reason\":\"stop\"}],"
                          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,"
                          + "\"total_tokens\":4}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(refuse ? 401 : 200, reply.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
          }
        });
    model.start();
    Path secrets = secretsDir.resolve("secrets");
    Files.writeString(
        secrets, "LLM_KEY=" + KEY + "\nLLM_ORG=" + ORG + "\nLLM_TENANT=" + TENANT + "\n");
    baton =
        TestBaton.builder(home)
            // A zero workflow delay gives every execution a workflow whose history is checked too.
            .config(config -> config.secretsFile(secrets).eagerWorkflowDelay(Duration.ZERO))
            .agentYaml("oracle", agentYaml("oracle", "test-model"))
            .agentYaml("refused", agentYaml("refused", "refused-model"))
            .start();
  }

  @AfterAll
  static void stop() {
    if (baton != null) {
      baton.close();
    }
    model.stop(0);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    context.getLogger("dev.baton").setLevel(previousLevel);
  }

  @Test
  void theModelGetsTheResolvedSecretsAndBatonKeepsAndSaysNoneOfThem() throws IOException {
    AgentResult result =
        baton.caller("asks-oracle").call(List.of(AgentCall.of("oracle", "meaning?")), 0).get(0);
    Throwable refused =
        catchThrowable(
            () -> baton.caller("asks-refused").call(List.of(AgentCall.of("refused", "hi")), 0));
    String refusedId = baton.executionsOf("asks-refused").get(0).getMetadata().getId();

    assertThat(result.output()).isEqualTo("forty-two");
    assertThat(seen).contains("/" + TENANT + "/v1/chat/completions | Bearer " + KEY + " | " + ORG);
    assertThat(refused).isInstanceOf(WorkflowFailedException.class);
    assertThat(rootMessage(refused))
        .contains("the API key ${secret:LLM_KEY} was refused", "Bearer ***");

    StringBuilder said = new StringBuilder();
    said.append(result).append(rootMessage(refused));
    for (String id : List.of(result.executionId(), refusedId)) {
      said.append(baton.get(id)).append(baton.server.store().eventsSince(id, 0, 1000));
      said.append(history(ExecutionIds.workflowId(id)));
    }
    said.append(history("asks-oracle")).append(history("asks-refused"));
    logs.list.forEach(event -> said.append(text(event)).append('\n'));
    String stored = databaseFiles();

    assertThat(said).contains("forty-two", "${secret:LLM_KEY}"); // the scans see the run
    assertThat(stored).contains("forty-two");
    for (String secret : SECRETS) {
      assertThat(said.toString()).doesNotContain(secret);
      assertThat(stored).doesNotContain(secret);
    }
  }

  private static String agentYaml(String name, String modelName) {
    return "name: "
        + name
        + "\nrunner: llm\ntimeout: 30s\nsettings:\n  provider: openai\n  model: "
        + modelName
        + "\n  stream: false\n  baseUrl: \"http://127.0.0.1:"
        + model.getAddress().getPort()
        + "/${secret:LLM_TENANT}/v1\"\n  apiKey: \"${secret:LLM_KEY}\"\n  headers:\n"
        + "    OpenAI-Organization: \"${secret:LLM_ORG}\"\n";
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static String history(String workflowId) {
    return new String(
        baton
            .callerService
            .blockingStub()
            .getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace(baton.server.temporalNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .build())
            .getHistory()
            .toByteArray(),
        StandardCharsets.ISO_8859_1);
  }

  /** Every file of the SQLite database (main file, WAL, shared memory), byte for char. */
  private static String databaseFiles() throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(home)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("baton.db")).toList()) {
        all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    return all.toString();
  }

  private static String text(ILoggingEvent event) {
    return event.getFormattedMessage()
        + (event.getThrowableProxy() == null
            ? ""
            : ThrowableProxyUtil.asString(event.getThrowableProxy()));
  }

  private static void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.setContext(context);
    logs.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    Logger batonLogger = context.getLogger("dev.baton");
    previousLevel = batonLogger.getLevel();
    batonLogger.setLevel(Level.DEBUG);
  }
}
