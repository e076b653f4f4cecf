package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.callback.AgentResult;
import dev.baton.execution.ExecutionIds;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every handshake case of {@link HandshakeEndToEndTest} again, with {@code --eager-start}: the
 * caller's view must not change when agents start at Create.
 */
class EagerHandshakeEndToEndTest extends HandshakeEndToEndTest {

  @BeforeAll
  static void start() {
    baton = TestBaton.builder(home).config(config -> config.eagerStart(true)).start();
    channel =
        NettyChannelBuilder.forTarget("127.0.0.1:" + baton.server.port()).usePlaintext().build();
    api = dev.baton.api.v1.AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  /** The eager run records and delivers; the workflow neither runs the agent nor delivers again. */
  @Test
  @Override
  void theRunnerRecordsTheEndAndDeliversItBeforeTheWorkflowTakesItsNextStep() {
    AgentResult result =
        baton.caller("recorded-eagerly").call(List.of(AgentCall.of("shout", "quick")), 0).get(0);

    AgentExecution stored = get(result.executionId());
    assertThat(stored.getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(stored.getStatus().getCallback().getState()).isEqualTo(CallbackState.DELIVERED);
    assertThat(stored.getStatus().getCallback().getAttempts()).isEqualTo(1);
    List<EventType> history =
        baton
            .callerClient
            .fetchHistory(ExecutionIds.workflowId(result.executionId()))
            .getHistory()
            .getEventsList()
            .stream()
            .map(HistoryEvent::getEventType)
            .toList();
    assertThat(history).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    // An activity, if the workflow scheduled one before the run ended, adopted the run.
    assertThat(
            history.stream().filter(t -> t == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count())
        .isLessThanOrEqualTo(1);
    assertThat(history).doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
  }
}
