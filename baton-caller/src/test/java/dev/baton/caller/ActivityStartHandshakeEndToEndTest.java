package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.callback.AgentResult;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.enums.v1.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every handshake case of {@link HandshakeEndToEndTest} again with {@code --no-eager-start}: agents
 * start in their activity, as they still do for agents with {@code maxConcurrent}, external
 * runners, and executions beyond the eager slots.
 */
class ActivityStartHandshakeEndToEndTest extends HandshakeEndToEndTest {

  @BeforeAll
  static void start() {
    baton = TestBaton.builder(home).config(config -> config.eagerStart(false)).start();
    channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + baton.server.port()).usePlaintext().build();
    api = dev.baton.api.v1.AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @Test
  @Override
  void theRunnerRecordsTheEndAndDeliversItBeforeTheWorkflowTakesItsNextStep() {
    AgentResult result =
        baton.caller("recorded-by-runner").call(List.of(AgentCall.of("shout", "quick")), 0).get(0);

    // Delivered by the run itself: one attempt, not left for a later workflow task.
    AgentExecution stored = baton.settled(result.executionId());
    assertThat(stored.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(stored.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    // The workflow's last task may still run when the caller has its result: wait for its end.
    List<EventType> afterAgent =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    baton.executionHistory(result.executionId()).stream()
                        .dropWhile(type -> type != EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                        .toList(),
                events -> events.contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED));
    // The workflow's own finish and delivery steps (local activities, recorded as markers) are
    // skipped: it ends in the task that sees the runner's result.
    assertThat(afterAgent)
        .containsExactly(
            EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }
}
