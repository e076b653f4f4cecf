package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.baton.callback.AgentResult;
import dev.baton.crypto.BatonPayloadCodec;
import dev.baton.crypto.KeyRing;
import dev.baton.execution.ExecutionIds;
import dev.baton.server.PayloadEncryption;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With payload keys, the Temporal histories of Baton's workflows hold no plaintext of the message,
 * the output or the agent's error; with {@code --encrypt-caller-results} neither does the caller's,
 * whose worker decodes the result with the same codec. Without keys the same scan finds them all,
 * so the scan itself is shown to work.
 *
 * <p>Agents start in their activities here ({@code --no-eager-start}), so the output and the error
 * travel through Baton's histories as activity results; an eager run that the workflow's first task
 * takes ends without them.
 */
class PayloadEncryptionTest {
  private static final String MESSAGE = "plaintext message 7f3a";
  private static final String OUTPUT = "PLAINTEXT MESSAGE 7F3A";
  private static final String ERROR = "failure-marker-5be1";

  @TempDir Path home;
  @TempDir Path keys;

  @Test
  void encryptedHistoriesHoldNoPlaintextOfTheMessageOutputOrError() throws IOException {
    Path keyFile = keyFile();
    try (TestBaton baton =
        withAgents(TestBaton.builder(home))
            .config(
                c ->
                    c.eagerStart(false)
                        .payloadEncryption(new PayloadEncryption(keyFile, null, true)))
            .callerConverter(BatonPayloadCodec.read(keyFile).dataConverter())
            .start()) {

      Calls calls = callBoth(baton);

      assertThat(calls.result().output()).isEqualTo(OUTPUT);
      assertThat(calls.error()).contains(ERROR);
      for (String history : calls.histories(baton)) {
        assertThat(history).contains(BatonPayloadCodec.ENCODING); // the scan sees payloads
        assertThat(history).doesNotContain(MESSAGE, OUTPUT, ERROR);
      }
    }
  }

  @Test
  void withoutPayloadKeysTheSameScanFindsThemInPlaintext() {
    try (TestBaton baton =
        withAgents(TestBaton.builder(home)).config(c -> c.eagerStart(false)).start()) {

      Calls calls = callBoth(baton);

      List<String> histories = calls.histories(baton);
      assertThat(histories.get(0)).contains(MESSAGE, OUTPUT); // Baton's, completed
      assertThat(histories.get(1)).contains(MESSAGE, ERROR); // Baton's, failed
      assertThat(histories.get(2)).contains(MESSAGE, OUTPUT); // the caller's, completed
      assertThat(histories.get(3)).contains(MESSAGE, ERROR); // the caller's, failed
      assertThat(String.join("", histories)).doesNotContain(BatonPayloadCodec.ENCODING);
    }
  }

  @Test
  void withoutEncryptCallerResultsACallerWithoutTheCodecReadsItsResult() throws IOException {
    Path keyFile = keyFile();
    try (TestBaton baton =
        withAgents(TestBaton.builder(home))
            .config(
                c ->
                    c.eagerStart(false)
                        .payloadEncryption(new PayloadEncryption(keyFile, null, false)))
            .start()) {

      Calls calls = callBoth(baton);

      assertThat(calls.result().output()).isEqualTo(OUTPUT);
      assertThat(calls.error()).contains(ERROR);
      List<String> histories = calls.histories(baton);
      assertThat(histories.get(0)).doesNotContain(MESSAGE, OUTPUT);
      assertThat(histories.get(1)).doesNotContain(MESSAGE, ERROR);
      // The caller's own history is the caller's to encrypt; Baton's result arrives in clear.
      assertThat(histories.get(2)).contains(OUTPUT);
    }
  }

  private static TestBaton.Builder withAgents(TestBaton.Builder builder) {
    return builder
        .agent("confide", "tr a-z A-Z", "30s")
        .agent("refuse", "cat >/dev/null; echo '" + ERROR + "' >&2; exit 3", "30s");
  }

  /** One call that completes and one that fails, each from its own caller workflow. */
  private static Calls callBoth(TestBaton baton) {
    AgentResult result =
        baton.caller("caller-completes").call(List.of(AgentCall.of("confide", MESSAGE)), 0).get(0);
    Throwable failed =
        catchThrowable(
            () -> baton.caller("caller-fails").call(List.of(AgentCall.of("refuse", MESSAGE)), 0));
    assertThat(failed).isInstanceOf(WorkflowFailedException.class);
    Throwable cause = failed;
    while (!(cause instanceof ApplicationFailure) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String failedId = baton.executionsOf("caller-fails").get(0).getMetadata().getId();
    return new Calls(result, cause.getMessage(), result.executionId(), failedId);
  }

  private record Calls(AgentResult result, String error, String completedId, String failedId) {

    /** Baton's histories of both executions, then the callers', once every workflow closed. */
    List<String> histories(TestBaton baton) {
      return List.of(
              ExecutionIds.workflowId(completedId),
              ExecutionIds.workflowId(failedId),
              "caller-completes",
              "caller-fails")
          .stream()
          .map(id -> closedHistory(baton, id))
          .toList();
    }
  }

  /** The raw history as Temporal stores it, bytes as Latin-1 characters. */
  private static String closedHistory(TestBaton baton, String workflowId) {
    History[] history = new History[1];
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              history[0] = rawHistory(baton, workflowId);
              List<HistoryEvent> events = history[0].getEventsList();
              EventType last = events.get(events.size() - 1).getEventType();
              return last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
                  || last == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED;
            });
    return new String(history[0].toByteArray(), StandardCharsets.ISO_8859_1);
  }

  private static History rawHistory(TestBaton baton, String workflowId) {
    return baton
        .callerService
        .blockingStub()
        .getWorkflowExecutionHistory(
            GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(baton.server.temporalNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setMaximumPageSize(1000)
                .build())
        .getHistory();
  }

  private Path keyFile() throws IOException {
    Path file = keys.resolve("payload-keys");
    Files.writeString(file, "k1:" + Base64.getEncoder().encodeToString(KeyRing.newKey()) + "\n");
    return file;
  }
}
