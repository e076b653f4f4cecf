package dev.baton.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentRunners;
import dev.baton.agent.YamlAgentCatalog;
import dev.baton.agent.command.CommandRunner;
import dev.baton.agent.llm.LlmRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which agents {@code baton demo} picks from the environment; no network. */
class DemoAgentsTest {

  @Test
  void usesCommandAgentsWithoutModelVariables() {
    assertThat(DemoAgents.llm(env(Map.of()))).isEmpty();
    assertThat(DemoAgents.llm(env(Map.of("OLLAMA_HOST", " ", "OPENAI_API_KEY", "")))).isEmpty();
  }

  @Test
  void usesOllamaNativeAtOllamaHost() {
    Optional<DemoAgents.Llm> llm = DemoAgents.llm(env(Map.of("OLLAMA_HOST", "http://gpu:11434")));

    assertThat(llm).contains(new DemoAgents.Llm("ollama", "llama3.2", "http://gpu:11434", null));
  }

  @Test
  void prefersOllamaOverOpenAiAndTakesTheModelFromBatonDemoModel() {
    Optional<DemoAgents.Llm> llm =
        DemoAgents.llm(
            env(
                Map.of(
                    "OLLAMA_HOST", "127.0.0.1:11500",
                    "OPENAI_API_KEY", "sk-test",
                    "BATON_DEMO_MODEL", "qwen2.5:0.5b")));

    assertThat(llm)
        .contains(new DemoAgents.Llm("ollama", "qwen2.5:0.5b", "http://127.0.0.1:11500", null));
  }

  @Test
  void usesOpenAiWithTheKeyFromItsVariable() {
    Optional<DemoAgents.Llm> llm = DemoAgents.llm(env(Map.of("OPENAI_API_KEY", "sk-test")));

    assertThat(llm)
        .contains(
            new DemoAgents.Llm(
                "openai", "gpt-4o-mini", "https://api.openai.com/v1", "OPENAI_API_KEY"));
    assertThat(llm.get().agentYaml()).contains("apiKeyEnv: OPENAI_API_KEY").doesNotContain("sk-");
  }

  @Test
  void readsOllamaHostAsOllamaDoes() {
    assertThat(DemoAgents.ollamaBaseUrl("localhost")).isEqualTo("http://localhost:11434");
    assertThat(DemoAgents.ollamaBaseUrl("0.0.0.0")).isEqualTo("http://127.0.0.1:11434");
    assertThat(DemoAgents.ollamaBaseUrl("0.0.0.0:8080")).isEqualTo("http://127.0.0.1:8080");
    assertThat(DemoAgents.ollamaBaseUrl("https://ollama.example.com/"))
        .isEqualTo("https://ollama.example.com:11434");
    assertThat(DemoAgents.ollamaBaseUrl("[::1]:11434")).isEqualTo("http://[::1]:11434");
  }

  @Test
  void writesAgentsTheServerLoads(@TempDir Path dir) {
    DemoAgents.Llm llm = DemoAgents.llm(env(Map.of("OPENAI_API_KEY", "sk-test"))).orElseThrow();

    Path agents = DemoAgents.writeLlmAgents(dir.resolve("agents"), llm);
    try (CommandRunner command = new CommandRunner();
        LlmRunner model = new LlmRunner()) {
      YamlAgentCatalog catalog = YamlAgentCatalog.load(agents, AgentRunners.of(command, model));

      AgentDefinition assistant = catalog.find(DemoAgents.LLM_AGENT).orElseThrow();
      assertThat(assistant.runner()).isEqualTo("llm");
      assertThat(assistant.settings().get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(catalog.find(DemoAgents.WARM_UP_AGENT)).isPresent();
    }
  }

  private static java.util.function.Function<String, String> env(Map<String, String> values) {
    return values::get;
  }
}
