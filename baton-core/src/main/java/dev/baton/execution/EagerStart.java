package dev.baton.execution;

import dev.baton.agent.AgentDefinition;
import java.time.Duration;
import java.util.Optional;

/**
 * What Create and Cancel tell the server's eager runs ({@link EagerRuns}): an execution about to be
 * created may run its agent at once, or an execution is to stop.
 */
public interface EagerStart extends AutoCloseable {

  /** Runs every agent in its activity only. */
  EagerStart NONE =
      new EagerStart() {
        @Override
        public Optional<Claim> claim(AgentDefinition agent) {
          return Optional.empty();
        }

        @Override
        public void cancel(String executionId, String reason) {}

        @Override
        public Optional<CallbackState> awaitEnd(
            String executionId, Duration whileRunning, Duration whileRecording) {
          return Optional.empty();
        }

        @Override
        public void close() {}
      };

  /**
   * A run on this server for the next execution of {@code agent}, when it can start one now (it
   * takes one of the server's agent slots); empty when the execution starts in its agent activity.
   * Never throws. The caller stores the execution with the claim's lease ({@link
   * ExecutionStore#createLeased}) and then launches it, or releases the claim.
   */
  Optional<Claim> claim(AgentDefinition agent);

  /** A claimed run: exactly one of {@link #launch} and {@link #release} is called. */
  interface Claim {
    /** The lease to store the execution with. */
    RunLease lease();

    /**
     * The execution is stored IN_PROGRESS under the lease: starts its agent, and its workflow with
     * {@code startWorkflow} when the run needs one (see {@link EagerRuns}): with a workflow delay,
     * returns at once and starts it later, if at all. Without one, starts it meanwhile and returns
     * once it started; the agent's end may be recorded and delivered before that. When {@code
     * startWorkflow} then throws, stops the agent without recording its end, puts the execution
     * back to PENDING ({@link ExecutionStore#abandonLeased}) unless the agent already ended, and
     * rethrows.
     *
     * @param token the callback token the execution was stored with, null without one: the run
     *     delivers the end with it while it is still the execution's token, instead of reading it
     *     back from the store
     */
    void launch(Execution execution, CallbackToken token, Runnable startWorkflow);

    /** Frees the slot: nothing was stored under the lease. */
    void release();
  }

  /** Stops this server's eager run of the execution, if it has one, recording the cancellation. */
  void cancel(String executionId, String reason);

  /**
   * Waits up to {@code whileRunning} for this server's eager run of the execution to end; once its
   * agent has ended, up to {@code whileRecording} in all for the run to record the end and deliver
   * it.
   *
   * @return the final callback state the run left once it recorded the end and delivered it; empty
   *     when there is no such run here, it still runs, or the end is not both recorded and
   *     delivered
   */
  Optional<CallbackState> awaitEnd(
      String executionId, Duration whileRunning, Duration whileRecording);

  /**
   * Stops the server's eager runs without recording their ends: their activities run them again.
   */
  @Override
  void close();
}
