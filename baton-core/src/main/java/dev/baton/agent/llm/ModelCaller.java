package dev.baton.agent.llm;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.Durations;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one step's request to the model and waits for the whole answer, streamed or not,
 * heartbeating meanwhile; retries rate limits and server errors with backoff. Each attempt has its
 * own HTTP client, aborted when the attempt ends, so nothing of it outlives the call.
 */
final class ModelCaller {
  private static final Logger log = LoggerFactory.getLogger(ModelCaller.class);
  private static final int PROGRESS_TEXT = 120;

  private final String agentName;
  private final LlmSettings settings;
  private final Endpoint endpoint;
  private final Heartbeats heartbeats;
  private final LlmRunnerOptions options;
  private final java.net.http.HttpClient http;
  private final Executor executor;

  ModelCaller(
      String agentName,
      LlmSettings settings,
      Endpoint endpoint,
      Heartbeats heartbeats,
      LlmRunnerOptions options,
      java.net.http.HttpClient http,
      Executor executor) {
    this.agentName = agentName;
    this.settings = settings;
    this.endpoint = endpoint;
    this.heartbeats = heartbeats;
    this.options = options;
    this.http = http;
    this.executor = executor;
  }

  /**
   * The model's answer to this request.
   *
   * @throws AgentFailedException of type {@code AgentFailed} saying what the provider did
   */
  ChatResponse call(ChatRequest request, String step) {
    for (int attempt = 1; ; attempt++) {
      ProviderError error;
      try {
        return attempt(request, step);
      } catch (AttemptFailed e) {
        error = ProviderError.of(e.getCause(), settings, endpoint::redact);
      }
      if (!error.retryable()) {
        throw failed(error.message());
      }
      if (attempt > options.maxRetries()) {
        throw failed(error.message() + " (gave up after " + attempt + " attempts)");
      }
      Duration wait = error.retryAfter().orElse(backoff(attempt));
      if (wait.compareTo(options.maxRetryAfter()) > 0) {
        throw failed(
            error.message()
                + " (it asked to retry after "
                + Durations.format(wait)
                + ", longer than the "
                + Durations.format(options.maxRetryAfter())
                + " Baton waits)");
      }
      if (wait.compareTo(heartbeats.remaining()) >= 0) {
        throw failed(
            error.message()
                + " (a retry after "
                + Durations.format(wait)
                + " would pass the agent's deadline)");
      }
      log.info(
          "Agent '{}': {}; retrying in {} (attempt {} of {})",
          agentName,
          error.message(),
          Durations.format(wait),
          attempt + 1,
          options.maxRetries() + 1);
      heartbeats.pause(wait, step + ": provider busy, retrying in " + Durations.format(wait));
    }
  }

  private ChatResponse attempt(ChatRequest request, String step) {
    ProviderHttpClient client =
        new ProviderHttpClient(http, executor, options.clock(), endpoint.headers());
    CompletableFuture<ChatResponse> result = new CompletableFuture<>();
    Progress progress = new Progress(step);
    try {
      if (settings.stream()) {
        ChatModels.streamingModel(settings, endpoint, client.builder())
            .chat(
                request,
                handler(result, progress, heartbeats, requiresFinishReason(settings.provider())));
      } else {
        var model = ChatModels.chatModel(settings, endpoint, client.builder());
        CompletableFuture.supplyAsync(() -> model.chat(request), executor)
            .whenComplete(
                (response, error) -> {
                  if (error != null) {
                    result.completeExceptionally(error);
                  } else {
                    result.complete(response);
                  }
                });
      }
      return heartbeats.await(
          result,
          progress::text,
          () -> {
            if (client.idle().compareTo(settings.requestTimeout()) > 0) {
              throw new AttemptFailed(new ProviderError.IdleTimeout(settings.requestTimeout()));
            }
          });
    } catch (ExecutionException e) {
      throw new AttemptFailed(e.getCause());
    } catch (RuntimeException e) {
      if (e instanceof AttemptFailed
          || e instanceof AgentFailedException
          || e instanceof AgentCancelledException) {
        throw e;
      }
      throw new AttemptFailed(e);
    } finally {
      client.abort();
    }
  }

  private Duration backoff(int attempt) {
    Duration wait = options.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
    return wait.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : wait;
  }

  private AgentFailedException failed(String message) {
    return new AgentFailedException(
        ExecutionError.AGENT_FAILED, "agent '" + agentName + "': " + message);
  }

  /**
   * Whether a streamed answer without a finish reason is incomplete. OpenAI and Anthropic end every
   * stream with one; LangChain4j completes an Ollama stream only on its {@code done} line, whose
   * {@code done_reason} older Ollama versions leave out.
   */
  static boolean requiresFinishReason(Provider provider) {
    return provider != Provider.OLLAMA;
  }

  private static StreamingChatResponseHandler handler(
      CompletableFuture<ChatResponse> result,
      Progress progress,
      Heartbeats heartbeats,
      boolean requiresFinishReason) {
    return new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String text) {
        progress.text(text);
        // The run context merges chunks and writes them in batches.
        heartbeats.event(ExecutionEvent.Type.MESSAGE_CHUNK, text, null);
      }

      @Override
      public void onPartialToolCall(PartialToolCall call) {
        progress.toolCall(call.name());
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        // LangChain4j completes an OpenAI stream when the connection ends, however it ends.
        if (requiresFinishReason && response.finishReason() == null) {
          result.completeExceptionally(new ProviderError.IncompleteStream());
        } else {
          result.complete(response);
        }
      }

      @Override
      public void onError(Throwable error) {
        result.completeExceptionally(error);
      }
    };
  }

  /** One attempt failed with what LangChain4j threw (the cause); it may be retried. */
  private static final class AttemptFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AttemptFailed(Throwable cause) {
      super(cause == null ? "failed" : cause.getMessage(), cause, false, false);
    }
  }

  /** What a streamed answer has shown so far, as heartbeat progress. */
  private static final class Progress {
    private final String step;
    private int chunks;
    private final StringBuilder tail = new StringBuilder();

    Progress(String step) {
      this.step = step;
    }

    synchronized void text(String text) {
      chunks++;
      tail.append(text == null ? "" : text);
      if (tail.length() > PROGRESS_TEXT) {
        tail.delete(0, tail.length() - PROGRESS_TEXT);
      }
    }

    synchronized void toolCall(String name) {
      chunks++;
      tail.setLength(0);
      tail.append("(calling tool ").append(name).append(')');
    }

    synchronized String text() {
      if (chunks == 0) {
        return step + ": waiting for the model";
      }
      return step + ": " + chunks + " chunks: " + tail.toString().strip().replace('\n', ' ');
    }
  }
}
