package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentInvocation;
import dev.baton.execution.OnCallerGone;
import java.time.Duration;

/** Builds llm agents and runners for tests. */
final class LlmAgents {
  static final String KEY_VARIABLE = "TEST_LLM_KEY";
  static final String KEY = "sk-test-0123456789abcdef-SECRET";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private LlmAgents() {}

  /** An agent of this provider at this base URL, model {@code test-model}. */
  static AgentDefinition agent(String provider, String baseUrl) {
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    settings.put("provider", provider);
    settings.put("model", "test-model");
    settings.put("baseUrl", baseUrl);
    return new AgentDefinition(
        "test-llm", "", LlmRunner.TYPE, settings, Duration.ofMinutes(1), OnCallerGone.CANCEL);
  }

  /** Adds a command tool taking {@code {"city": string}}. */
  static AgentDefinition withTool(AgentDefinition agent, String name, String... command) {
    ObjectNode tool = agent.settings().withArray("tools").addObject();
    tool.put("name", name);
    tool.put("description", "Looks up the weather of a city");
    ObjectNode parameters = tool.putObject("parameters").put("type", "object");
    parameters.putObject("properties").putObject("city").put("type", "string");
    parameters.putArray("required").add("city");
    ArrayNode parts = tool.putArray("command");
    for (String part : command) {
      parts.add(part);
    }
    return agent;
  }

  static AgentInvocation invocation(String message) {
    return new AgentInvocation("exec-1", "test-llm", message, TIMEOUT);
  }

  /** A runner that retries quickly and finds the test key in {@link #KEY_VARIABLE}. */
  static LlmRunner runner() {
    return runner(fastOptions());
  }

  static LlmRunner runner(LlmRunnerOptions options) {
    return new LlmRunner(options, name -> KEY_VARIABLE.equals(name) ? KEY : null);
  }

  static LlmRunnerOptions fastOptions() {
    return LlmRunnerOptions.defaults()
        .withPollInterval(Duration.ofMillis(50))
        .withRetries(2, Duration.ofMillis(20));
  }
}
