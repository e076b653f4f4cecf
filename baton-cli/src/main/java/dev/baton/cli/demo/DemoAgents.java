package dev.baton.cli.demo;

import dev.baton.caller.AgentCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which agents {@code baton demo} calls: an LLM agent when a model is at hand ({@code OLLAMA_HOST}
 * for a local Ollama, else {@code OPENAI_API_KEY} for OpenAI), the command agents otherwise.
 */
final class DemoAgents {
  /** The LLM agent's name, in the demo's own temporary agents directory. */
  static final String LLM_AGENT = "assistant";

  /** A command agent that echoes its message, used to warm up without a model call. */
  static final String WARM_UP_AGENT = "echo";

  static final String DEFAULT_OLLAMA_MODEL = "llama3.2";
  static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

  private DemoAgents() {}

  /**
   * The model the demo should use, if the environment names one.
   *
   * @param env looks up environment variables; {@link System#getenv(String)} outside tests
   */
  static Optional<Llm> llm(Function<String, String> env) {
    String model = value(env, "BATON_DEMO_MODEL");
    String ollamaHost = value(env, "OLLAMA_HOST");
    if (ollamaHost != null) {
      return Optional.of(
          new Llm(
              "ollama",
              model == null ? DEFAULT_OLLAMA_MODEL : model,
              ollamaBaseUrl(ollamaHost),
              null));
    }
    if (value(env, "OPENAI_API_KEY") != null) {
      return Optional.of(
          new Llm(
              "openai",
              model == null ? DEFAULT_OPENAI_MODEL : model,
              "https://api.openai.com/v1",
              "OPENAI_API_KEY"));
    }
    return Optional.empty();
  }

  /**
   * Ollama's base URL from {@code OLLAMA_HOST}, which Ollama reads as {@code
   * [scheme://]host[:port]} (default port 11434; {@code 0.0.0.0}, a listen address, means this
   * machine).
   */
  static String ollamaBaseUrl(String ollamaHost) {
    String url = ollamaHost.strip();
    if (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!url.contains("://")) {
      url = "http://" + url;
    }
    String scheme = url.substring(0, url.indexOf("://") + 3);
    String hostPort = url.substring(scheme.length());
    String path = "";
    if (hostPort.contains("/")) {
      path = hostPort.substring(hostPort.indexOf('/'));
      hostPort = hostPort.substring(0, hostPort.indexOf('/'));
    }
    boolean hasPort = hostPort.startsWith("[") ? hostPort.contains("]:") : hostPort.contains(":");
    if (!hasPort) {
      hostPort = hostPort + ":11434";
    }
    if (hostPort.startsWith("0.0.0.0:")) {
      hostPort = "127.0.0.1" + hostPort.substring("0.0.0.0".length());
    }
    return scheme + hostPort + path;
  }

  /** The two parallel calls of the demo with an LLM: a summary and a headline. */
  static List<AgentCall> llmCalls(String message) {
    return List.of(
        AgentCall.of(LLM_AGENT, "Summarise this text in one sentence:\n\n" + message),
        AgentCall.of(
            LLM_AGENT, "Write a headline of at most eight words, in capitals, for:\n\n" + message));
  }

  /** The two parallel calls of the demo with the command agents. */
  static List<AgentCall> commandCalls(String message) {
    return List.of(AgentCall.of("summarize", message), AgentCall.of("shout", message));
  }

  /**
   * Writes the LLM agent and the warm-up agent into {@code dir} (the demo's temporary directory),
   * so the demo needs no file in {@code agents/}.
   *
   * @return the directory to load agents from
   */
  static Path writeLlmAgents(Path dir, Llm llm) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(LLM_AGENT + ".yaml"), llm.agentYaml());
      Files.writeString(
          dir.resolve(WARM_UP_AGENT + ".yaml"),
          "name: "
              + WARM_UP_AGENT
              + "\ndescription: Echoes its message\nrunner: command\ntimeout: 30s\n"
              + "settings:\n  command: [cat]\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String value(Function<String, String> env, String name) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * The model of the demo's LLM agent.
   *
   * @param apiKeyEnv the NAME of the variable holding the key, or {@code null}
   */
  record Llm(String provider, String model, String baseUrl, String apiKeyEnv) {

    /** Says which model answers, for the demo's first lines. */
    String describe() {
      return provider + " model " + model + " at " + baseUrl;
    }

    /** The agent's YAML; the key stays in the environment, only its name is written. */
    String agentYaml() {
      return "name: "
          + LLM_AGENT
          + "\ndescription: Answers briefly with "
          + provider
          + " model "
          + model
          + "\nrunner: llm\ntimeout: 1m\nsettings:\n  provider: "
          + provider
          + "\n  model: "
          + quoted(model)
          + "\n  baseUrl: "
          + quoted(baseUrl)
          + "\n"
          + (apiKeyEnv == null ? "" : "  apiKeyEnv: " + apiKeyEnv + "\n")
          + "  instructions: You are a concise assistant. Answer in plain text, without preamble.\n"
          + "  temperature: 0.2\n  maxSteps: 2\n";
    }

    private static String quoted(String value) {
      return "'" + value.replace("'", "''") + "'";
    }
  }
}
