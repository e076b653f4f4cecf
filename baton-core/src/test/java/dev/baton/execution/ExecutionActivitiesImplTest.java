package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The admission step on an execution that ended before it (an eager run recorded the end): the
 * workflow needs a delivery step only while the callback is pending.
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

  private static Admission admit(Execution stored) {
    // Only the store is read for an ended execution: the other collaborators stay unset.
    ExecutionActivitiesImpl activities =
        new ExecutionActivitiesImpl(
            storeHolding(stored), null, null, ExecutionObserver.NONE, null, Clock.systemUTC());
    return activities.admit(stored.id(), QueueState.FIRST);
  }

  private static Execution completed(CallbackStatus callback) {
    return new Execution(
        "e1",
        NOW,
        Map.of(),
        1,
        new ExecutionSpec(
            "echo", "hi", null, Duration.ofMinutes(1), null, OnCallerGone.CANCEL, null),
        new ExecutionStatus(ExecutionPhase.COMPLETED, "hi", null, null, NOW, NOW, callback));
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
