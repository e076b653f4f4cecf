package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static dev.baton.agent.llm.OpenAiReplies.answer;
import static dev.baton.agent.llm.OpenAiReplies.status;
import static dev.baton.agent.llm.OpenAiReplies.streamAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.Secrets;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ${secret:NAME}} in an llm agent's apiKey, baseUrl and headers: resolved when the agent
 * runs, sent to the provider, and in nothing the run reports (output, events, heartbeats, errors).
 */
class LlmRunnerSecretsTest {
  private static final String KEY = "sk-resolved-4c1d9e7a";
  private static final String ORG = "org-resolved-82b3";
  private static final String TENANT = "tenant-resolved-6e0f";

  private final LlmRunner runner =
      new LlmRunner(
          LlmAgents.fastOptions(),
          name -> null,
          new Secrets(
              Map.of(
                  "BATON_SECRET_LLM_KEY", KEY,
                  "BATON_SECRET_LLM_ORG", ORG,
                  "BATON_SECRET_LLM_TENANT", TENANT),
              null));
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    provider = FakeProvider.start();
    agent = agent("openai", provider.url("/${secret:LLM_TENANT}/v1"));
    agent.settings().put("apiKey", "${secret:LLM_KEY}");
    agent.settings().putObject("headers").put("OpenAI-Organization", "${secret:LLM_ORG}");
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void sendsTheResolvedKeyBaseUrlAndHeadersAndReportsNoneOfThem() {
    provider.reply(streamAnswer(3, 2, "Hello", " there"));
    TestRunContext context = TestRunContext.withTimeout(LlmAgents.TIMEOUT);

    AgentOutput output = runner.run(agent, invocation("hi"), context);

    FakeProvider.Request request = provider.requests().get(0);
    assertThat(request.authorization()).isEqualTo("Bearer " + KEY);
    assertThat(request.header("OpenAI-Organization")).isEqualTo(ORG);
    assertThat(request.path()).isEqualTo("/" + TENANT + "/v1/chat/completions");
    assertThat(output.output()).isEqualTo("Hello there");
    String reported = output + " " + context.heartbeats() + " " + context.events();
    assertThat(reported).doesNotContain(KEY, ORG, TENANT);
  }

  @Test
  void aRefusedKeyIsNamedByItsReferenceAndTheProvidersEchoIsRedacted() {
    provider.reply(
        status(
            401,
            "{\"error\":{\"message\":\"key "
                + KEY
                + " of "
                + ORG
                + " is not valid for "
                + TENANT
                + "\"}}"));

    assertThatThrownBy(() -> runner.run(agent, invocation("hi"), context()))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "agent 'test-llm': openai model 'test-model' at "
                          + provider.url("/${secret:LLM_TENANT}/v1")
                          + " answered HTTP 401: the API key ${secret:LLM_KEY} was refused: key"
                          + " *** of *** is not valid for ***");
            });
  }

  @Test
  void aSecretThatIsNotSetStopsTheRunBeforeAnyRequestNamingIt() {
    agent.settings().putObject("headers").put("X-Team", "${secret:LLM_TEAM}");

    assertThatThrownBy(() -> runner.run(agent, invocation("hi"), context()))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_NOT_RUNNABLE);
              assertThat(e.getMessage())
                  .startsWith("agent 'test-llm': secret 'LLM_TEAM' is not set; set");
            });
    assertThat(provider.requests()).isEmpty();
  }

  @Test
  void aHeaderOfTheSettingsReplacesTheOneLangChainSets() {
    provider.reply(answer("ok", 1, 1));
    agent.settings().put("stream", false);
    agent.settings().remove("apiKey");
    agent.settings().putObject("headers").put("Authorization", "Token ${secret:LLM_KEY}");

    runner.run(agent, invocation("hi"), context());

    assertThat(provider.requests().get(0).headers().get("Authorization"))
        .containsExactly("Token " + KEY);
  }

  private static TestRunContext context() {
    return TestRunContext.withTimeout(LlmAgents.TIMEOUT);
  }
}
