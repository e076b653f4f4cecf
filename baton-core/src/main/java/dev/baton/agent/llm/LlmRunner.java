package dev.baton.agent.llm;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.agent.AgentRunner;
import dev.baton.agent.RunContext;
import dev.baton.agent.Secrets;
import dev.baton.execution.ExecutionError;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs an agent as a chat model with tools (runner type {@code llm}), through LangChain4j.
 *
 * <p>Settings:
 *
 * <ul>
 *   <li>{@code provider} (required): {@code openai} (OpenAI's chat-completions API, also served by
 *       vLLM, LM Studio, OpenRouter and Ollama's {@code /v1}), {@code ollama} (Ollama's native API)
 *       or {@code anthropic}.
 *   <li>{@code model} (required): the provider's model name.
 *   <li>{@code baseUrl}: default {@code https://api.openai.com/v1}, {@code http://localhost:11434}
 *       or {@code https://api.anthropic.com/v1}.
 *   <li>{@code apiKey}: the API key as a secret reference, {@code ${secret:NAME}} (see {@link
 *       Secrets}: the server's environment, then its secrets file); or {@code apiKeyEnv}: the NAME
 *       of the server's environment variable holding it. One is required for anthropic. The key is
 *       read when a run starts; it is never written in YAML, stored in an execution, logged, shown
 *       in an error or passed to tools.
 *   <li>{@code headers}: extra HTTP headers of every request, e.g. {@code OpenAI-Organization};
 *       values may reference secrets. A header named here replaces the one LangChain4j would set.
 *   <li>{@code baseUrl} may reference secrets too (a tenant in the path, a gateway host); errors
 *       show it with the references, never resolved.
 *   <li>{@code instructions}: the system prompt; {@code temperature} (0-2); {@code maxTokens} per
 *       answer (anthropic: 4096 unless set).
 *   <li>{@code maxSteps}: the most model calls of one run (default 8); a run whose model still
 *       calls tools at the last step fails.
 *   <li>{@code requestTimeout}: how long to wait for an answer or, when streaming, for its next
 *       chunk (default 2m). {@code stream}: stream answers (default true).
 *   <li>{@code tools}: local programs the model may call, each with {@code name}, {@code
 *       description}, {@code parameters} (the JSON schema of an object), {@code command} (as for
 *       the command runner: a list, no shell; a path with a slash is relative to the agent file)
 *       and {@code timeout} (default 60s). A call gets the arguments JSON on stdin and in {@code
 *       BATON_TOOL_ARGS}; its stdout (trailing whitespace trimmed, at most 64 KiB) is the result. A
 *       tool that fails, times out or cannot start is reported to the model as an error result.
 * </ul>
 *
 * <p>The output is the final answer's text; its structured output is {@code
 * {"provider":..,"model":..,"steps":n,"toolCalls":n,"usage":{"inputTokens":..,"outputTokens":..,
 * "totalTokens":..}}}, token counts summed over the steps. The runner heartbeats every 250 ms with
 * the step and the streamed text so far, and stops the request or tool at once when cancelled.
 *
 * <p>Errors ({@code AgentFailed}, naming provider, model, HTTP status and the provider's text):
 * HTTP 429, 500, 502, 503, 504 and 529 are retried up to 3 times, after Retry-After when given (at
 * most 2m) or with backoff from 1 s; other 4xx (401/403: the key was refused), timeouts, malformed
 * JSON and connection failures are not retried. Past the deadline: {@code AgentTimeout}. A missing
 * key variable or secret: {@code AgentNotRunnable}. Text the provider sends back has every secret
 * of the settings replaced by {@code ***}.
 */
public final class LlmRunner implements AgentRunner, AutoCloseable {
  /** The runner type agent definitions name. */
  public static final String TYPE = "llm";

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final LlmRunnerOptions options;
  private final Function<String, String> env;
  private final Secrets secrets;
  private final ExecutorService executor;

  /** Made on the first run: building one loads the JDK's TLS stack, 0.2 s of server start. */
  private java.net.http.HttpClient http;

  public LlmRunner() {
    this(Secrets.fromEnvironment());
  }

  /**
   * @param secrets what {@code ${secret:NAME}} references in apiKey, baseUrl and headers resolve
   *     against when an agent runs
   */
  public LlmRunner(Secrets secrets) {
    this(LlmRunnerOptions.defaults(), System::getenv, secrets);
  }

  /**
   * @param env looks up environment variables (the API key); {@link System#getenv(String)} outside
   *     tests
   */
  public LlmRunner(LlmRunnerOptions options, Function<String, String> env) {
    this(options, env, Secrets.fromEnvironment());
  }

  public LlmRunner(LlmRunnerOptions options, Function<String, String> env, Secrets secrets) {
    this.options = Objects.requireNonNull(options, "options");
    this.env = Objects.requireNonNull(env, "env");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "baton-llm-" + THREADS.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  private synchronized java.net.http.HttpClient http() {
    if (http == null) {
      http =
          java.net.http.HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(15))
              .executor(executor)
              .build();
    }
    return http;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Checks the settings; the API key variable and secrets are only looked up when it runs. */
  @Override
  public void validate(AgentDefinition agent) {
    LlmSettings.of(agent);
  }

  /**
   * {@inheritDoc}
   *
   * @throws AgentFailedException of type {@code AgentFailed} (provider error, no final answer
   *     within maxSteps), {@code AgentTimeout} or {@code AgentNotRunnable} (bad settings, key
   *     variable not set)
   * @throws AgentCancelledException when the heartbeat reported cancellation or the thread was
   *     interrupted
   */
  @Override
  public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
    LlmSettings settings;
    try {
      settings = LlmSettings.of(agent);
    } catch (IllegalArgumentException e) {
      throw notRunnable(agent, e.getMessage());
    }
    Endpoint endpoint;
    try {
      endpoint = Endpoint.resolve(settings, apiKey(agent, settings), secrets);
    } catch (IllegalArgumentException e) {
      throw notRunnable(agent, e.getMessage());
    }
    Heartbeats heartbeats = new Heartbeats(agent, invocation, context, options);
    ModelCaller model =
        new ModelCaller(agent.name(), settings, endpoint, heartbeats, options, http(), executor);
    ToolProcess tools =
        new ToolProcess(
            heartbeats,
            executor,
            options.maxToolOutputBytes(),
            Map.of(
                "BATON_EXECUTION_ID", String.valueOf(invocation.executionId()),
                "BATON_AGENT", agent.name()),
            Endpoint.secretVariables(settings));
    return new LlmRun(agent, invocation, settings, heartbeats, model, tools).run();
  }

  private String apiKey(AgentDefinition agent, LlmSettings settings) {
    if (settings.apiKeyEnv() == null) {
      return null;
    }
    String key = env.apply(settings.apiKeyEnv());
    if (key == null || key.isBlank()) {
      throw notRunnable(
          agent,
          "settings.apiKeyEnv names the environment variable "
              + settings.apiKeyEnv()
              + ", which is not set on this server; set it to the "
              + settings.provider().id()
              + " API key and restart the server");
    }
    return key.strip();
  }

  private static AgentFailedException notRunnable(AgentDefinition agent, String why) {
    return new AgentFailedException(
        ExecutionError.AGENT_NOT_RUNNABLE, "agent '" + agent.name() + "': " + why);
  }

  /** Stops the runner's threads, ending whatever requests are still in flight. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
