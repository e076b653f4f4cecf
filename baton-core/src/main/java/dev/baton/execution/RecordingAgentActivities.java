package dev.baton.execution;

import dev.baton.agent.AgentActivities;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.callback.CallbackDispatcher;
import io.temporal.failure.ApplicationFailure;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-runner activity of the runners built into the server: runs the agent and, when it
 * completed, records the execution's end and delivers the outcome to the caller before the activity
 * itself completes.
 *
 * <p>Left to the execution workflow, recording and delivery wait until the activity's completion
 * has reached Temporal and the workflow's next task has been dispatched and replayed, 20-30 ms on
 * every call's path on the embedded server (docs/performance.md). The workflow still records and
 * delivers everything this does not: failures, cancellations, a delivery that needs another
 * attempt, and runs of external runners. The store keeps the two paths from recording twice: the
 * first terminal status and the first final callback state win.
 *
 * <p>An attempt that finds its execution already ended (the worker died after recording, before
 * Temporal heard of the result; or an eager run, {@link EagerRuns}, recorded it) does not run the
 * agent again: it returns the recorded output, or fails with the recorded error.
 */
public final class RecordingAgentActivities implements AgentActivities {
  private static final Logger log = LoggerFactory.getLogger(RecordingAgentActivities.class);

  private final AgentActivities runner;
  private final ExecutionStore store;
  private final Recorder recorder;

  /**
   * @param runner runs the agent
   * @param store where the execution is read
   * @param recorder records an execution's end and delivers it
   */
  public RecordingAgentActivities(AgentActivities runner, ExecutionStore store, Recorder recorder) {
    this.runner = Objects.requireNonNull(runner, "runner");
    this.store = Objects.requireNonNull(store, "store");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
  }

  /**
   * The recorder the workflow's own steps make: {@code ends} records the end (store, metrics, freed
   * agent slots) and {@code dispatcher} delivers it.
   */
  public static Recorder recorder(ExecutionEnds ends, CallbackDispatcher dispatcher) {
    return (executionId, outcome, knownToken) ->
        dispatcher.deliver(ends.record(executionId, outcome), knownToken).state();
  }

  /** Records an execution's end and tries once to deliver it. */
  @FunctionalInterface
  public interface Recorder {
    /**
     * @param knownToken the callback token the recorder's caller holds, or null: delivered with
     *     while it is still the execution's token ({@link CallbackDispatcher#deliver(Execution,
     *     CallbackToken)})
     * @return the callback state the attempt left (PENDING when delivery is to be retried)
     */
    CallbackState record(String executionId, AgentOutcome outcome, CallbackToken knownToken);
  }

  @Override
  public AgentOutput run(AgentInvocation invocation) {
    Optional<Execution> ended = endedBefore(invocation.executionId());
    if (ended.isPresent()) {
      return recordedEnd(ended.get());
    }
    return record(invocation.executionId(), runner.run(invocation));
  }

  /** The execution if it already ended; empty if not, or unknown (store down). */
  private Optional<Execution> endedBefore(String executionId) {
    try {
      return store.find(executionId).filter(execution -> execution.phase().isTerminal());
    } catch (RuntimeException e) {
      log.warn("cannot read execution={} before running its agent: {}", executionId, e.toString());
      return Optional.empty();
    }
  }

  /**
   * The recorded output of a completed execution; for any other end, a failure that is not retried
   * with the recorded error, so the workflow keeps the recorded end.
   */
  private static AgentOutput recordedEnd(Execution execution) {
    if (execution.phase() == ExecutionPhase.COMPLETED) {
      return new AgentOutput(
          execution.status().output(),
          execution.status().structuredOutput(),
          execution.status().callback().state());
    }
    ExecutionError error = execution.status().error();
    throw ApplicationFailure.newNonRetryableFailure(
        error == null ? "the execution ended " + execution.phase() : error.message(),
        error == null ? ExecutionError.AGENT_FAILED : error.type());
  }

  /**
   * Records the end and delivers; on any error leaves both to the workflow (the error is logged,
   * the agent's output is not lost: it is the activity's result).
   */
  private AgentOutput record(String executionId, AgentOutput output) {
    try {
      return output.recorded(
          recorder.record(
              executionId,
              AgentOutcome.completed(output.output(), output.structuredOutput()),
              null));
    } catch (RuntimeException e) {
      log.warn(
          "recording the end of execution={} beside its runner failed, its workflow records it: {}",
          executionId,
          e.toString());
      return output;
    }
  }
}
