package dev.baton.agent.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentCancelledException;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.TestRunContext;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.OnCallerGone;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EchoRunnerTest {
  private final EchoRunner runner = new EchoRunner();

  @Test
  void answersWithTheMessageAtOnceWithoutADelay() {
    var output =
        runner.run(
            agent(null), invocation("hello"), TestRunContext.withTimeout(Duration.ofMinutes(1)));

    assertThat(output.output()).isEqualTo("hello");
    assertThat(output.structuredOutput()).isNull();
  }

  @Test
  void waitsItsDelayAndHeartbeatsMeanwhile() {
    TestRunContext context = TestRunContext.withTimeout(Duration.ofMinutes(1));
    long start = System.nanoTime();

    var output = runner.run(agent("1200ms"), invocation("later"), context);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    assertThat(output.output()).isEqualTo("later");
    assertThat(context.heartbeats()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void stopsWhenCancelled() {
    AtomicBoolean cancelled = new AtomicBoolean();
    TestRunContext context =
        TestRunContext.withTimeout(Duration.ofMinutes(1)).cancelWhen(cancelled::get);
    new Thread(
            () -> {
              sleep(300);
              cancelled.set(true);
            })
        .start();
    long start = System.nanoTime();

    assertThatThrownBy(() -> runner.run(agent("1h"), invocation("never"), context))
        .isInstanceOf(AgentCancelledException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void failsAsATimeoutWhenTheDelayOutlastsTheDeadline() {
    assertThatThrownBy(
            () ->
                runner.run(
                    agent("1h"),
                    invocation("late"),
                    TestRunContext.withTimeout(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(
            AgentFailedException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionError.AGENT_TIMEOUT);
              assertThat(e.getMessage()).contains("deadline", "1h");
            });
  }

  @Test
  void rejectsABadDelayAndUnknownSettings() {
    assertThatThrownBy(() -> runner.validate(agent("soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings.delay must be a duration")
        .hasMessageContaining("soon");
    ObjectNode settings = JsonNodeFactory.instance.objectNode().put("command", "cat");
    assertThatThrownBy(() -> runner.validate(agentWith(settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settings.command is not a setting of the echo runner");
  }

  private static AgentDefinition agent(String delay) {
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    if (delay != null) {
      settings.put(EchoRunner.DELAY, delay);
    }
    return agentWith(settings);
  }

  private static AgentDefinition agentWith(ObjectNode settings) {
    return new AgentDefinition(
        "echo", "", EchoRunner.TYPE, settings, Duration.ofMinutes(5), OnCallerGone.CANCEL);
  }

  private static AgentInvocation invocation(String message) {
    return new AgentInvocation("exec-1", "echo", message, Duration.ofMinutes(5), null, null);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
