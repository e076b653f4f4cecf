package dev.baton.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Settings are checked when agents load, with messages naming the setting and what was expected.
 */
class LlmSettingsTest {
  private final LlmRunner runner = LlmAgents.runner();

  @AfterEach
  void stop() {
    runner.close();
  }

  @Test
  void acceptsAMinimalAgentAndOneWithATool() {
    assertThatCode(() -> runner.validate(agent())).doesNotThrowAnyException();
    assertThatCode(() -> runner.validate(LlmAgents.withTool(agent(), "weather", "cat")))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAMissingModel() {
    AgentDefinition agent = agent();
    agent.settings().remove("model");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessageStartingWith("settings.model is missing; expected the provider's model name");
  }

  @Test
  void rejectsAnUnknownProvider() {
    AgentDefinition agent = agent();
    agent.settings().put("provider", "gemini");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessage(
            "settings.provider 'gemini' is unknown; expected openai (any OpenAI-compatible server:"
                + " OpenAI, vLLM, LM Studio, OpenRouter, Ollama's /v1), ollama or anthropic");
  }

  @Test
  void rejectsMaxStepsBelowOne() {
    AgentDefinition agent = agent();
    agent.settings().put("maxSteps", 0);

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessage("settings.maxSteps must be a whole number of at least 1; found 0");
  }

  @Test
  void rejectsAKeyWrittenIntoTheFileWithoutEchoingIt() {
    AgentDefinition inline = agent();
    inline.settings().put("apiKey", "sk-secret");
    AgentDefinition pasted = agent();
    pasted.settings().put("apiKeyEnv", "sk-secret-value");

    assertThatThrownBy(() -> runner.validate(inline))
        .hasMessageStartingWith("settings.apiKey must be a secret reference such as")
        .hasMessageNotContaining("sk-secret");
    assertThatThrownBy(() -> runner.validate(pasted))
        .hasMessageStartingWith("settings.apiKeyEnv must be the NAME of an environment variable")
        .hasMessageNotContaining("sk-secret");
  }

  @Test
  void refusesBatonsOwnSettingsAsTheKeyOrInTheUrl() {
    AgentDefinition key = agent();
    key.settings().put("apiKey", "${secret:BATON_TOKEN_KEYS}");
    AgentDefinition keyVariable = agent();
    keyVariable.settings().put("apiKeyEnv", "BATON_DATABASE_URL");
    AgentDefinition url = agent();
    url.settings().put("baseUrl", "http://collector.example/${secret:BATON_PAYLOAD_KEYS}");

    assertThatThrownBy(() -> runner.validate(key))
        .hasMessageContaining("'${secret:BATON_TOKEN_KEYS}' names one of Baton's own settings");
    assertThatThrownBy(() -> runner.validate(keyVariable))
        .hasMessageContaining("settings.apiKeyEnv BATON_DATABASE_URL names one of Baton's own");
    assertThatThrownBy(() -> runner.validate(url))
        .hasMessageContaining("'${secret:BATON_PAYLOAD_KEYS}' names one of Baton's own settings");
  }

  @Test
  void requiresAKeyForAnthropic() {
    AgentDefinition agent = agent();
    agent.settings().put("provider", "anthropic");

    assertThatThrownBy(() -> runner.validate(agent))
        .hasMessageStartingWith("settings.apiKey is missing; anthropic needs an API key");
    agent.settings().put("apiKey", "${secret:ANTHROPIC_API_KEY}");
    runner.validate(agent);
  }

  @Test
  void acceptsSecretReferencesInKeyBaseUrlAndHeaders() {
    AgentDefinition agent = agent();
    agent.settings().put("apiKey", "${secret:OPENAI_API_KEY}");
    agent.settings().put("baseUrl", "https://${secret:GATEWAY_HOST}/v1?token=${secret:GATEWAY}");
    agent.settings().putObject("headers").put("OpenAI-Organization", "${secret:ORG}");

    LlmSettings settings = LlmSettings.of(agent);

    assertThat(settings.apiKey()).isEqualTo("${secret:OPENAI_API_KEY}");
    assertThat(settings.baseUrl())
        .isEqualTo("https://${secret:GATEWAY_HOST}/v1?token=${secret:GATEWAY}");
    assertThat(settings.headers()).containsEntry("OpenAI-Organization", "${secret:ORG}");
  }

  @Test
  void rejectsKeyAndKeyVariableTogetherAndMalformedHeaders() {
    AgentDefinition both = agent();
    both.settings().put("apiKey", "${secret:K}");
    both.settings().put("apiKeyEnv", "K");
    AgentDefinition host = agent();
    host.settings().putObject("headers").put("Host", "evil");
    AgentDefinition badReference = agent();
    badReference.settings().putObject("headers").put("X-Team", "${secret:not a name}");

    assertThatThrownBy(() -> runner.validate(both))
        .hasMessage("settings.apiKey and settings.apiKeyEnv are both set; keep one");
    assertThatThrownBy(() -> runner.validate(host))
        .hasMessageStartingWith("settings.headers: 'Host' is not a header Baton can send");
    assertThatThrownBy(() -> runner.validate(badReference))
        .hasMessageStartingWith(
            "settings.headers.X-Team: '${secret:not a name}' is not a valid secret reference");
  }

  @Test
  void rejectsUnknownSettingsAndBadValues() {
    assertInvalid("temprature", "0.5", "unknown setting 'settings.temprature'; the llm runner");
    assertInvalid("baseUrl", "localhost:11434", "settings.baseUrl 'localhost:11434' is not an");
    assertInvalid("requestTimeout", "soon", "settings.requestTimeout must be a positive duration");
  }

  @Test
  void rejectsToolsWithoutCommandOrWithABadSchema() {
    AgentDefinition noCommand = LlmAgents.withTool(agent(), "weather");
    AgentDefinition badSchema = LlmAgents.withTool(agent(), "weather", "cat");
    ((ObjectNode) badSchema.settings().get("tools").get(0).get("parameters")).put("type", "string");
    AgentDefinition duplicate =
        LlmAgents.withTool(LlmAgents.withTool(agent(), "weather", "cat"), "weather", "cat");

    assertThatThrownBy(() -> runner.validate(noCommand))
        .hasMessageStartingWith(
            "settings.tools[0] (weather).command must be a non-empty list of the program");
    assertThatThrownBy(() -> runner.validate(badSchema))
        .hasMessageStartingWith(
            "settings.tools[0] (weather).parameters.type must be object (tool arguments are a JSON"
                + " object)");
    assertThatThrownBy(() -> runner.validate(duplicate))
        .hasMessage("settings.tools[1].name 'weather' is used by an earlier tool");
  }

  private void assertInvalid(String key, String value, String messageStart) {
    AgentDefinition agent = agent();
    agent.settings().put(key, value);
    assertThatThrownBy(() -> runner.validate(agent))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(messageStart);
  }

  private static AgentDefinition agent() {
    return LlmAgents.agent("openai", "http://localhost:11434/v1");
  }
}
