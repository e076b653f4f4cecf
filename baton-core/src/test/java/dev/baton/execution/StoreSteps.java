package dev.baton.execution;

import dev.baton.agent.AgentInvocation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-in store steps of the execution workflow: admission answers as given, delivery succeeds;
 * every call is logged by name and every recorded outcome kept.
 */
final class StoreSteps implements ExecutionActivities {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<AgentOutcome> outcomes = new CopyOnWriteArrayList<>();
  private final Admission admission;

  StoreSteps(Admission admission) {
    this.admission = admission;
  }

  @Override
  public AgentInvocation begin(String executionId) {
    calls.add("begin");
    return null;
  }

  @Override
  public Admission admit(String executionId, QueueState queue) {
    calls.add("admit");
    return admission;
  }

  @Override
  public void finish(String executionId, AgentOutcome outcome) {
    calls.add("finish");
    outcomes.add(outcome);
  }

  @Override
  public CallbackState deliverCallback(String executionId) {
    calls.add("deliverCallback");
    return CallbackState.DELIVERED;
  }

  @Override
  public void abandonCallback(String executionId, String lastError) {
    calls.add("abandonCallback");
  }
}
