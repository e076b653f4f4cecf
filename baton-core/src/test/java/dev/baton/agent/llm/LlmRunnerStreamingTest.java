package dev.baton.agent.llm;

import static dev.baton.agent.llm.LlmAgents.agent;
import static dev.baton.agent.llm.LlmAgents.invocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A streamed answer keeps the run alive with progress, and stops at once when cancelled. */
class LlmRunnerStreamingTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  private final LlmRunner runner = LlmAgents.runner();
  private FakeProvider provider;
  private AgentDefinition agent;

  @BeforeEach
  void start() throws IOException {
    provider = FakeProvider.start();
    agent = agent("openai", provider.url("/v1"));
  }

  @AfterEach
  void stop() {
    provider.close();
    runner.close();
  }

  @Test
  void cancellationStopsAStreamingAnswerAtOnce() {
    provider.reply(OpenAiReplies.endlessStream(Duration.ofMillis(20)));
    AtomicLong cancelledAt = new AtomicLong();
    TestRunContext context =
        TestRunContext.withTimeout(LONG)
            .cancelWhen(
                () -> {
                  boolean streaming = provider.chunksSent() >= 5;
                  if (streaming) {
                    cancelledAt.compareAndSet(0, System.nanoTime());
                  }
                  return streaming;
                });

    assertThatThrownBy(() -> runner.run(agent, invocation("talk forever"), context))
        .isInstanceOf(AgentCancelledException.class)
        .hasMessage("cancelled by the test");

    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt.get()))
        .isLessThan(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(5)).until(provider::clientGone);
    assertThat(context.heartbeats())
        .anyMatch(p -> p.matches("step 1/8: \\d+ chunks: (more )*more"));
  }

  @Test
  void aStalledStreamTimesOut() {
    provider.reply(OpenAiReplies.endlessStream(Duration.ofSeconds(30)));
    agent.settings().put("requestTimeout", "500ms");

    assertThatThrownBy(() -> runner.run(agent, invocation("hi"), TestRunContext.withTimeout(LONG)))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_FAILED);
              assertThat(e.getMessage()).contains("did not answer within 500ms");
            });
  }
}
