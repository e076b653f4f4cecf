package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import dev.baton.execution.ExecutionEvent.Type;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.Termination;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text an agent produced that holds NUL (U+0000), which PostgreSQL refuses in text and jsonb:
 * stored with U+FFFD in its place on every database, and the writer gets back what readers see.
 */
interface NulTextContract extends StoreFixture {
  @Test
  default void aNulInAnEndsOutputIsStoredAsTheReplacementCharacter() {
    String id = store().create(executions().withCaller("coder")).execution().id();
    store().markInProgress(id, TransitionContract.STARTED);

    // What a command agent printing `printf 'ok \377\376 bad utf8 \000 nul'` ends with; a
    // backslash-u0000 that is text, not a NUL, is kept as it is.
    Execution finished =
        store()
            .finish(
                id,
                Termination.completed(
                    "ok \uFFFD\uFFFD bad utf8 \u0000 nul \\u0000",
                    "{\"note\":\"a\u0000b\"}",
                    TransitionContract.ENDED));

    Execution stored = store().find(id).orElseThrow();
    assertThat(stored.phase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(stored.status().output()).isEqualTo("ok \uFFFD\uFFFD bad utf8 \uFFFD nul \\u0000");
    assertThat(stored.status().structuredOutput()).isEqualTo("{\"note\":\"a\uFFFDb\"}");
    assertThat(finished).isEqualTo(stored);
    assertThat(store().changesSince(id, 0, 100)).last().isEqualTo(stored);

    reopen();
    assertThat(store().find(id)).contains(stored);
  }

  @Test
  default void aNulInAnErrorOrACallbackErrorIsStoredAsTheReplacementCharacter() {
    String id = store().create(executions().withCaller("coder")).execution().id();
    store().markInProgress(id, TransitionContract.STARTED);

    Execution failed =
        store()
            .finish(
                id,
                Termination.failed(
                    new ExecutionError(ExecutionError.AGENT_FAILED, "exit 1: \u0000\u0000 tail"),
                    TransitionContract.ENDED));
    Execution callback =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.PENDING, 1, "refused: a\u0000b", null, null));

    Execution stored = store().find(id).orElseThrow();
    assertThat(stored.phase()).isEqualTo(ExecutionPhase.FAILED);
    assertThat(stored.status().error())
        .isEqualTo(new ExecutionError(ExecutionError.AGENT_FAILED, "exit 1: \uFFFD\uFFFD tail"));
    assertThat(stored.status().callback().lastError()).isEqualTo("refused: a\uFFFDb");
    assertThat(failed.status().error()).isEqualTo(stored.status().error());
    assertThat(callback).isEqualTo(stored);
    assertThat(store().changesSince(id, 0, 100)).last().isEqualTo(stored);
  }

  @Test
  default void aNulInAnEventIsStoredAsTheReplacementCharacter() {
    String id = store().create(executions().withoutCaller("coder")).execution().id();

    List<ExecutionEvent> appended =
        store()
            .appendEvents(
                id,
                List.of(
                    ExecutionEvent.of(
                        TransitionContract.STARTED, Type.LOG_LINE, "stderr \u0000 line", null),
                    ExecutionEvent.of(
                        TransitionContract.STARTED,
                        Type.TOOL_CALL_STARTED,
                        "grep\u0000",
                        "{\"q\":\"\u0000\"}")));

    List<ExecutionEvent> stored = store().eventsSince(id, 0, 100);
    assertThat(stored)
        .extracting(ExecutionEvent::text)
        .containsExactly("stderr \uFFFD line", "grep\uFFFD");
    assertThat(stored.get(1).data()).isEqualTo("{\"q\":\"\uFFFD\"}");
    assertThat(appended).isEqualTo(stored);
  }
}
