package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.execution.CallbackState;
import dev.baton.execution.CallbackStatus;
import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.NewExecution;
import dev.baton.execution.Termination;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Callback delivery state, rebinding a retried caller's token, and keeping the token secret. */
interface CallbackContract extends StoreFixture {
  Instant DELIVERED_AT = TestExecutions.CREATED.plusSeconds(90);

  @Test
  default void aFinalCallbackStateIsNotReopenedByPending() {
    NewExecution request = executions().withCaller("researcher");
    String id = store().create(request).execution().id();
    Execution gone =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.CALLER_GONE, 2, "NOT_FOUND", null, null));

    Execution afterPending =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.PENDING, 3, "unavailable", null, null));

    assertThat(gone.status().callback().state()).isEqualTo(CallbackState.CALLER_GONE);
    assertThat(gone.status().callback().tokenFingerprint())
        .isEqualTo(request.callbackToken().fingerprint());
    assertThat(afterPending).isEqualTo(gone);
  }

  @Test
  default void aFinalCallbackStateIsNotReplacedByAnotherFinalState() {
    String id = store().create(executions().withCaller("racer")).execution().id();
    Execution delivered =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.DELIVERED, 1, null, DELIVERED_AT, null));

    Execution afterGone =
        store()
            .updateCallback(
                id, new CallbackStatus(CallbackState.CALLER_GONE, 2, "NOT_FOUND", null, null));

    assertThat(delivered.status().callback().state()).isEqualTo(CallbackState.DELIVERED);
    assertThat(afterGone).isEqualTo(delivered);
  }

  @Test
  default void aManualDeliveryReplacesAFailedStateButNeverADeliveredOne() {
    NewExecution request = executions().withCaller("stuck");
    String fingerprint = request.callbackToken().fingerprint();
    String id = store().create(request).execution().id();
    store()
        .updateCallback(
            id, new CallbackStatus(CallbackState.FAILED, 4, "abandoned", null, fingerprint));
    CallbackStatus manual =
        new CallbackStatus(CallbackState.DELIVERED, 5, null, DELIVERED_AT, fingerprint);

    Execution completed = store().recordManualCallback(id, manual);
    Execution again =
        store()
            .recordManualCallback(
                id,
                new CallbackStatus(CallbackState.DELIVERED, 6, null, DELIVERED_AT, fingerprint));

    assertThat(completed.status().callback()).isEqualTo(manual);
    assertThat(again).isEqualTo(completed);
  }

  @Test
  default void anUpdateForAReplacedTokenIsIgnored() {
    NewExecution request = executions().withCaller("researcher");
    String id = store().create(request).execution().id();
    Execution rebound =
        store()
            .rebindCallback(
                id, TestExecutions.token("second attempt"), TestExecutions.caller(id, 2));

    Execution afterStale =
        store()
            .updateCallback(
                id,
                new CallbackStatus(
                    CallbackState.CALLER_GONE,
                    1,
                    "NOT_FOUND",
                    null,
                    request.callbackToken().fingerprint()));

    assertThat(afterStale).isEqualTo(rebound);
  }

  @Test
  default void rebindReplacesTheTokenAndStartsTheCallbackOver() {
    NewExecution request = executions().withCaller("researcher");
    String id = store().create(request).execution().id();
    store().finish(id, Termination.completed("answer", null, DELIVERED_AT));
    store()
        .updateCallback(
            id, new CallbackStatus(CallbackState.CALLER_GONE, 4, "NOT_FOUND", null, null));
    CallbackToken retried = TestExecutions.token("attempt-2-token");
    CallerIdentity secondAttempt = TestExecutions.caller(id, 2);

    Execution rebound = store().rebindCallback(id, retried, secondAttempt);

    assertThat(rebound.sequence()).isEqualTo(4);
    assertThat(rebound.phase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(rebound.status().output()).isEqualTo("answer");
    assertThat(rebound.status().callback())
        .isEqualTo(CallbackStatus.pending(retried.fingerprint()));
    assertThat(rebound.spec().caller()).isEqualTo(secondAttempt);
    assertThat(rebound.spec().agent()).isEqualTo(request.spec().agent());
    assertThat(store().find(id)).contains(rebound);
    assertThat(store().callbackToken(id)).contains(retried);
    assertThat(store().withPendingCallback(10)).extracting(Execution::id).containsExactly(id);
  }

  @Test
  default void theTokenIsStoredOnlyInItsOwnColumn() {
    NewExecution request = executions().withCaller("researcher");
    String id = store().create(request).execution().id();
    store().markInProgress(id, TestExecutions.CREATED);
    CallbackToken retried = TestExecutions.token("attempt-2-token");
    store().rebindCallback(id, retried, TestExecutions.caller(id, 2));

    List<String> json = new ArrayList<>(storedJson(id));

    assertThat(json).hasSize(6); // labels, spec, status and three change snapshots
    for (CallbackToken token : List.of(request.callbackToken(), retried)) {
      byte[] bytes = token.bytes();
      assertThat(json)
          .allSatisfy(
              column ->
                  assertThat(column)
                      .doesNotContain(new String(bytes, StandardCharsets.UTF_8))
                      .doesNotContain(Base64.getEncoder().encodeToString(bytes))
                      .doesNotContain(HexFormat.of().formatHex(bytes)));
    }
    assertThat(json.get(2)).contains(retried.fingerprint());
  }

  @Test
  default void theTokenColumnHoldsOnlyTheEncryptedTokenWhichReadsBackAfterAReopen() {
    NewExecution request = executions().withCaller("researcher");
    CallbackToken token = request.callbackToken();
    String id = store().create(request).execution().id();

    byte[] raw =
        database()
            .jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery("SELECT callback_token FROM executions WHERE id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> rs.getBytes(1))
                        .one());
    reopen();

    assertThat(HexFormat.of().formatHex(raw))
        .doesNotContain(HexFormat.of().formatHex(token.bytes()));
    assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("token-" + id);
    assertThat(tokens().decrypt(raw)).isEqualTo(token.bytes());
    assertThat(store().callbackToken(id)).contains(token);
  }

  private List<String> storedJson(String id) {
    return database()
        .jdbi()
        .withHandle(
            handle -> {
              List<String> columns = new ArrayList<>();
              handle
                  .createQuery("SELECT labels, spec, status FROM executions WHERE id = :id")
                  .bind("id", id)
                  .map(
                      (rs, ctx) ->
                          List.of(
                              rs.getString("labels"), rs.getString("spec"), rs.getString("status")))
                  .one()
                  .forEach(columns::add);
              columns.addAll(
                  handle
                      .createQuery(
                          "SELECT status FROM execution_changes WHERE execution_id = :id"
                              + " ORDER BY sequence")
                      .bind("id", id)
                      .mapTo(String.class)
                      .list());
              return columns;
            });
  }
}
