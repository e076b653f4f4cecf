package dev.baton.execution;

import dev.baton.agent.AgentDefinition;
import java.time.Duration;
import java.util.Optional;

/**
 * What Create and Cancel tell the server's eager runs ({@link EagerRuns}): an execution's workflow
 * was just started, or the execution is to stop.
 */
public interface EagerStart extends AutoCloseable {

  /** Runs every agent in its activity only. */
  EagerStart NONE =
      new EagerStart() {
        @Override
        public void started(Execution execution, AgentDefinition agent) {}

        @Override
        public void cancel(String executionId, String reason) {}

        @Override
        public Optional<CallbackState> awaitEnd(String executionId, Duration atMost) {
          return Optional.empty();
        }

        @Override
        public void close() {}
      };

  /**
   * The execution's workflow is started: run its agent now if this server can. Never throws; a run
   * that does not start here starts in the agent activity.
   */
  void started(Execution execution, AgentDefinition agent);

  /** Stops this server's eager run of the execution, if it has one, recording the cancellation. */
  void cancel(String executionId, String reason);

  /**
   * Waits up to {@code atMost} for this server's eager run of the execution to end.
   *
   * @return the final callback state the run left once it recorded the end and delivered it; empty
   *     when there is no such run here, it still runs, or the end is not both recorded and
   *     delivered
   */
  Optional<CallbackState> awaitEnd(String executionId, Duration atMost);

  /**
   * Stops the server's eager runs without recording their ends: their activities run them again.
   */
  @Override
  void close();
}
