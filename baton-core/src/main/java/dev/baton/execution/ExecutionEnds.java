package dev.baton.execution;

import dev.baton.agent.AgentCatalog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records executions' ends, for every path that ends one: the workflow's finish step, and the runs
 * that record their own end ({@link RecordingAgentActivities}, {@link EagerRuns}).
 */
public final class ExecutionEnds {
  private static final Logger log = LoggerFactory.getLogger(ExecutionEnds.class);

  private final ExecutionStore store;
  private final AgentCatalog agents;
  private final ExecutionObserver observer;
  private final AdmissionControl admission;
  private final Clock clock;

  public ExecutionEnds(
      ExecutionStore store,
      AgentCatalog agents,
      ExecutionObserver observer,
      AdmissionControl admission,
      Clock clock) {
    this.store = store;
    this.agents = agents;
    this.observer = observer;
    this.admission = admission;
    this.clock = clock;
  }

  /**
   * Records the execution's end: the store's first outcome wins, so the execution returned (as
   * stored afterwards) may hold an earlier one. The call that ends it reports it to the observer
   * and frees its agent's slot.
   */
  public Execution record(String executionId, AgentOutcome outcome) {
    Termination termination =
        new Termination(
            outcome.phase(),
            outcome.output(),
            outcome.structuredOutput(),
            outcome.error(),
            clock.instant());
    Execution finished = store.finish(executionId, termination);
    // This call ended it, unless it had ended before (with another phase or end time).
    boolean endedHere =
        finished.phase() == termination.phase()
            && termination.endTime().equals(finished.status().endTime());
    if (!endedHere) {
      // Recorded before (the runner's activity, then its workflow, record the same end): one
      // line per end.
      return finished;
    }
    observer.finished(finished);
    agents
        .find(finished.spec().agent())
        .ifPresent(agent -> admission.slotFreed(finished, admission.limitOf(agent)));
    log.info(
        "execution finished execution={} phase={} error={} callerWorkflow={} callerActivity={}"
            + " token={}",
        executionId,
        finished.phase(),
        finished.status().error() == null ? "-" : finished.status().error().type(),
        CallerIdentity.workflowIdOf(finished.spec().caller()),
        CallerIdentity.activityIdOf(finished.spec().caller()),
        finished.status().callback().loggedFingerprint());
    return finished;
  }
}
