package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.agent.AgentCatalog;
import dev.baton.agent.AgentDefinition;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The admission step on an execution an eager run took: it may have ended before the step (the
 * workflow needs a delivery step only while the callback is pending), or still run, when the step
 * waits for it on this server as the workflow's next step would have.
 */
class ExecutionActivitiesImplTest {
  private static final Instant NOW = Instant.parse("2026-11-27T01:00:00Z");

  @Test
  void admissionOfAnEndedExecutionWithItsCallbackDeliveredSaysItIsSettled() {
    CallbackStatus delivered = new CallbackStatus(CallbackState.DELIVERED, 1, null, NOW, "fp");

    Admission admission = admit(completed(delivered));

    assertThat(admission.settled()).isEqualTo(CallbackState.DELIVERED);
    assertThat(admission.invocation()).isNull();
    assertThat(admission.queued()).isFalse();
  }

  @Test
  void admissionOfAnEndedExecutionWithoutCallbackSaysItIsSettled() {
    assertThat(admit(completed(CallbackStatus.none())).settled()).isEqualTo(CallbackState.NONE);
  }

  @Test
  void admissionOfAnEndedExecutionWhoseCallbackIsPendingLeavesTheDeliveryToDo() {
    Admission admission = admit(completed(CallbackStatus.pending("fp")));

    assertThat(admission.settled()).isNull();
    assertThat(admission.invocation()).isNull();
    assertThat(admission.queued()).isFalse();
  }

  @Test
  void admissionOfARunningEagerExecutionTakesTheRunsEndWhenItComes() {
    List<String> awaited = new ArrayList<>();

    Admission admission =
        admit(
            running(),
            id -> {
              awaited.add(id);
              return CallbackState.DELIVERED;
            });

    assertThat(awaited).containsExactly("e1");
    assertThat(admission.settled()).isEqualTo(CallbackState.DELIVERED);
    assertThat(admission.invocation()).isNull();
  }

  @Test
  void admissionOfARunningEagerExecutionAdmitsItOnceItsRunWasAwaited() {
    Admission admission = admit(running(), id -> null);

    assertThat(admission.settled()).isNull();
    assertThat(admission.eagerRunAwaited()).isTrue();
    assertThat(admission.invocation().executionId()).isEqualTo("e1");
    assertThat(admission.invocation().agent()).isEqualTo("echo");
  }

  private static Admission admit(Execution stored) {
    return admit(
        stored,
        id -> {
          throw new AssertionError("an ended execution has no run to wait for");
        });
  }

  private static Admission admit(Execution stored, EagerRunActivities eagerRun) {
    // Admission of an execution an eager run took reads the store and the catalog, and writes
    // nothing: the other collaborators stay unset.
    ExecutionActivitiesImpl activities =
        new ExecutionActivitiesImpl(
            storeHolding(stored),
            catalogWith("echo"),
            null,
            null,
            new AdmissionControl(null, null, null, ExecutionObserver.NONE, Clock.systemUTC(), 0),
            eagerRun,
            Clock.systemUTC());
    return activities.admit(stored.id(), QueueState.FIRST);
  }

  private static Execution running() {
    return execution(
        new ExecutionStatus(
            ExecutionPhase.IN_PROGRESS, null, null, null, NOW, null, CallbackStatus.pending("fp")));
  }

  private static Execution completed(CallbackStatus callback) {
    return execution(
        new ExecutionStatus(ExecutionPhase.COMPLETED, "hi", null, null, NOW, NOW, callback));
  }

  private static Execution execution(ExecutionStatus status) {
    return new Execution(
        "e1",
        NOW,
        Map.of(),
        1,
        new ExecutionSpec(
            "echo", "hi", null, Duration.ofMinutes(1), null, OnCallerGone.CANCEL, null),
        status);
  }

  private static AgentCatalog catalogWith(String name) {
    AgentDefinition agent =
        new AgentDefinition(
            name,
            "",
            "echo",
            JsonNodeFactory.instance.objectNode(),
            Duration.ofMinutes(1),
            OnCallerGone.CANCEL,
            AgentDefinition.SERVER_DEFAULT_CONCURRENCY);
    return new AgentCatalog() {
      @Override
      public List<AgentDefinition> list() {
        return List.of(agent);
      }

      @Override
      public Optional<AgentDefinition> find(String wanted) {
        return Optional.of(agent).filter(a -> a.name().equals(wanted));
      }
    };
  }

  /** A store whose only answer is {@code stored}, to {@code find}; anything else fails the test. */
  private static ExecutionStore storeHolding(Execution stored) {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("find") && stored.id().equals(args[0])) {
                return Optional.of(stored);
              }
              throw new AssertionError("unexpected store call: " + method.getName());
            });
  }
}
