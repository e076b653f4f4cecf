package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.KEY;
import static dev.baton.agent.llm.LlmAgents.KEY_VARIABLE;
import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static dev.baton.agent.llm.OpenAiReplies.answer;
import static dev.baton.agent.llm.OpenAiReplies.hang;
import static dev.baton.agent.llm.OpenAiReplies.malformed;
import static dev.baton.agent.llm.OpenAiReplies.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Provider errors end in clear failures, retried only where that is safe; the key never leaks. */
class LlmRunnerErrorsTest {
  private static final String RATE_LIMITED =
      "{\"error\":{\"message\":\"Rate limit reached for test-model\",\"type\":\"requests\"}}";
  private static final String OVERLOADED = "{\"error\":{\"message\":\"upstream overloaded\"}}";

  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final LlmRunner runner = LlmAgents.runner();
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    logs.start();
    root.addAppender(logs);
    provider = FakeProvider.start();
    agent = agent("openai", provider.url("/v1"));
    agent.settings().put("stream", false);
    agent.settings().put("apiKeyEnv", KEY_VARIABLE);
  }

  @AfterEach
  void theKeyIsNeverLogged() {
    root.detachAppender(logs);
    provider.close();
    runner.close();
    assertThat(logs.list)
        .allSatisfy(
            event -> {
              assertThat(event.getFormattedMessage()).doesNotContain(KEY);
              if (event.getThrowableProxy() != null) {
                assertThat(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                    .doesNotContain(KEY);
              }
            });
  }

  @Test
  void unauthorizedSaysTheKeyInTheVariableWasRefusedWithoutShowingIt() {
    provider.reply(
        status(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));

    assertFails(
        message ->
            assertThat(message)
                .isEqualTo(
                    "agent 'test-llm': openai model 'test-model' at "
                        + provider.url("/v1")
                        + " answered HTTP 401: the API key in $TEST_LLM_KEY was refused: Incorrect"
                        + " API key provided: ***"));
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void rateLimitedWaitsForRetryAfterThenSucceeds() {
    provider.reply(status(429, RATE_LIMITED, "Retry-After", "1"), answer("finally", 1, 1));

    AgentOutput output = run();

    assertThat(output.output()).isEqualTo("finally");
    assertThat(provider.requests()).hasSize(2);
    long waited = provider.requests().get(1).at() - provider.requests().get(0).at();
    assertThat(Duration.ofNanos(waited)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("retrying in 1s"));
  }

  @Test
  void rateLimitedGivesUpAfterTheRetries() {
    provider.reply(
        status(429, RATE_LIMITED, "Retry-After", "0"),
        status(429, RATE_LIMITED, "Retry-After", "0"),
        status(429, RATE_LIMITED, "Retry-After", "0"));

    assertFails(
        message ->
            assertThat(message)
                .endsWith(
                    "answered HTTP 429 (rate limited): Rate limit reached for test-model (gave up"
                        + " after 3 attempts)"));
    assertThat(provider.requests()).hasSize(3);
  }

  @Test
  void aRetryAfterLongerThanBatonWaitsFailsAtOnce() {
    provider.reply(status(429, RATE_LIMITED, "Retry-After", "3600"));

    assertFails(
        message ->
            assertThat(message)
                .endsWith("(it asked to retry after 1h, longer than the 2m Baton waits)"));
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() {
    provider.reply(status(500, OVERLOADED), status(503, OVERLOADED), answer("recovered", 1, 1));

    assertThat(run().output()).isEqualTo("recovered");
    assertThat(provider.requests()).hasSize(3);
  }

  @Test
  void badRequestIsNotRetried() {
    provider.reply(
        status(400, "{\"error\":{\"message\":\"max_tokens is too large\"}}"), answer("x", 1, 1));

    assertFails(
        message -> assertThat(message).endsWith("answered HTTP 400: max_tokens is too large"));
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void aProviderThatDoesNotAnswerTimesOut() {
    provider.reply(hang());
    agent.settings().put("requestTimeout", "500ms");

    assertFails(
        message ->
            assertThat(message)
                .isEqualTo(
                    "agent 'test-llm': openai model 'test-model' at "
                        + provider.url("/v1")
                        + " did not answer within 500ms (settings.requestTimeout); the request was"
                        + " abandoned. Raise requestTimeout for slow models, or check that the"
                        + " server is not overloaded"));
  }

  @Test
  void malformedJsonIsAClearErrorAndNotRetried() {
    provider.reply(malformed(), answer("x", 1, 1));

    assertFails(
        message ->
            assertThat(message)
                .contains("openai model 'test-model' at " + provider.url("/v1"))
                .contains("answered with malformed JSON (")
                .endsWith("check that settings.baseUrl points at a openai API"));
    assertThat(provider.requests()).hasSize(1);
  }

  @Test
  void aServerThatIsNotRunningIsAClearError() {
    agent.settings().put("baseUrl", "http://127.0.0.1:1/v1");

    assertFails(
        message ->
            assertThat(message)
                .isEqualTo(
                    "agent 'test-llm': openai model 'test-model': could not connect to"
                        + " http://127.0.0.1:1/v1; is the server running and settings.baseUrl"
                        + " right?"));
  }

  @Test
  void theDeadlineStopsAWaitingRun() {
    provider.reply(hang());

    assertThatThrownBy(
            () ->
                runner.run(
                    agent,
                    new AgentInvocation("exec-1", "test-llm", "hi", Duration.ofMillis(500)),
                    TestRunContext.withTimeout(Duration.ofMillis(500))))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_TIMEOUT);
              assertThat(e.getMessage())
                  .isEqualTo("agent 'test-llm' ran past its 500ms deadline and was stopped");
            });
  }

  @Test
  void aMissingKeyVariableIsARunTimeErrorNamingIt() {
    agent.settings().put("apiKeyEnv", "NOT_SET_ANYWHERE");

    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "agent 'test-llm': settings.apiKeyEnv names the environment variable"
                          + " NOT_SET_ANYWHERE, which is not set on this server; set it to the"
                          + " openai API key and restart the server");
            });
    assertThat(provider.requests()).isEmpty();
  }

  private AgentOutput run() {
    return runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LlmAgents.TIMEOUT));
  }

  private void assertFails(Consumer<String> message) {
    assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage()).doesNotContain(KEY);
              message.accept(e.getMessage());
            });
  }
}
