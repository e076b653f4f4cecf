package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the runner's side records and what it leaves to the workflow. The end-to-end behaviour
 * (history without the workflow's steps, a retried attempt that does not run the agent again) is in
 * baton-caller's {@code HandshakeEndToEndTest}.
 */
class RecordingAgentActivitiesTest {
  private static final AgentInvocation INVOCATION =
      new AgentInvocation("exec-1", "echo", "hi", Duration.ofMinutes(1), null, List.of());

  private final List<AgentOutcome> recorded = new ArrayList<>();

  @Test
  void recordsACompletedRunAndTellsTheWorkflowTheCallbackState() {
    RecordingAgentActivities activities =
        new RecordingAgentActivities(
            invocation -> new AgentOutput("HI", "{\"a\":1}"),
            store(Optional.empty()),
            (executionId, outcome, knownToken) -> {
              recorded.add(outcome);
              return CallbackState.DELIVERED;
            });

    AgentOutput output = activities.run(INVOCATION);

    assertThat(recorded).containsExactly(AgentOutcome.completed("HI", "{\"a\":1}"));
    assertThat(output).isEqualTo(new AgentOutput("HI", "{\"a\":1}", CallbackState.DELIVERED));
  }

  @Test
  void aFailedRecordingLeavesTheEndToTheWorkflow() {
    RecordingAgentActivities activities =
        new RecordingAgentActivities(
            invocation -> AgentOutput.text("HI"),
            store(Optional.empty()),
            (executionId, outcome, knownToken) -> {
              throw new IllegalStateException("database is down");
            });

    AgentOutput output = activities.run(INVOCATION);

    assertThat(output.output()).isEqualTo("HI");
    assertThat(output.recordedCallback()).isNull();
  }

  @Test
  void anUnreadableStoreDoesNotStopTheAgent() {
    List<String> ran = new ArrayList<>();
    RecordingAgentActivities activities =
        new RecordingAgentActivities(
            invocation -> {
              ran.add(invocation.executionId());
              return AgentOutput.text("HI");
            },
            store(null),
            (executionId, outcome, knownToken) -> CallbackState.PENDING);

    AgentOutput output = activities.run(INVOCATION);

    assertThat(ran).containsExactly("exec-1");
    assertThat(output.recordedCallback()).isEqualTo(CallbackState.PENDING);
  }

  /** A store whose find answers {@code found}, or fails when it is null; nothing else is used. */
  private static ExecutionStore store(Optional<Execution> found) {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("find") && found != null) {
                return found;
              }
              throw new IllegalStateException("store unavailable: " + method.getName());
            });
  }
}
