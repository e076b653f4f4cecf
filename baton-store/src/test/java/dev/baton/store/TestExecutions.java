package dev.baton.store;

import dev.baton.execution.CallbackToken;
import dev.baton.execution.CallerIdentity;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionSpec;
import dev.baton.execution.NewExecution;
import dev.baton.execution.OnCallerGone;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds executions for store tests; ids grow by one millisecond each, so they sort in order. */
final class TestExecutions {
  static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123456789Z");

  private final AtomicLong created = new AtomicLong();

  String nextId() {
    Instant at = CREATED.plusMillis(created.incrementAndGet());
    return new ExecutionIds(Clock.fixed(at, ZoneOffset.UTC)).next();
  }

  /** A caller-bound execution of {@code agent} whose token is {@code token-<id>}. */
  NewExecution withCaller(String agent) {
    String id = nextId();
    CallerIdentity caller = caller(id, 1);
    return new NewExecution(
        id,
        CREATED,
        Map.of("team", "search", "ticket", "BAT-7"),
        spec(agent, caller),
        token("token-" + id),
        caller.idempotencyKey());
  }

  /** An execution nobody waits for and without idempotency key. */
  NewExecution withoutCaller(String agent) {
    return new NewExecution(nextId(), CREATED, Map.of(), spec(agent, null), null, null);
  }

  /** An execution nobody waits for, carrying {@code labels}. */
  NewExecution labelled(String agent, Map<String, String> labels) {
    return new NewExecution(nextId(), CREATED, labels, spec(agent, null), null, null);
  }

  /** Another execution (new id, new token) of the same caller as {@code first}. */
  NewExecution duplicateOf(NewExecution first) {
    return new NewExecution(
        nextId(),
        CREATED.plusSeconds(1),
        first.labels(),
        first.spec(),
        token("token-" + nextId()),
        first.idempotencyKey());
  }

  static CallerIdentity caller(String workflowId, int attempt) {
    return new CallerIdentity("default", "wf-" + workflowId, "run-1", "act-1", attempt);
  }

  static ExecutionSpec spec(String agent, CallerIdentity caller) {
    return new ExecutionSpec(
        agent,
        "Summarise the incident report.",
        caller,
        Duration.ofMinutes(30),
        caller == null ? null : Duration.ofSeconds(45),
        OnCallerGone.CANCEL);
  }

  static CallbackToken token(String text) {
    return CallbackToken.of(text.getBytes(StandardCharsets.UTF_8));
  }
}
