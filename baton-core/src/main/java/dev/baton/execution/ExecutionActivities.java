package dev.baton.execution;

import dev.baton.agent.AgentInvocation;
import io.temporal.activity.ActivityInterface;

/** The execution workflow's system steps: local activities on the store and the caller. */
@ActivityInterface(namePrefix = "Baton")
public interface ExecutionActivities {

  /**
   * Marks the execution IN_PROGRESS.
   *
   * @return what to run, or {@code null} when the execution has already ended (a replayed or
   *     restarted workflow then only delivers the callback)
   */
  AgentInvocation begin(String executionId);

  /**
   * Marks the execution IN_PROGRESS if its agent has a free slot (see {@link AdmissionControl}),
   * else heartbeats its caller and says how long to wait before asking again.
   *
   * @param queue what the previous check returned, or {@link QueueState#FIRST}
   */
  Admission admit(String executionId, QueueState queue);

  /** Records the terminal outcome; the first one recorded wins. */
  void finish(String executionId, AgentOutcome outcome);

  /**
   * Delivers the outcome to the caller once. Fails with a retryable failure while Temporal is
   * unavailable, so the workflow retries with backoff.
   */
  CallbackState deliverCallback(String executionId);

  /** Records that delivery was retried for the whole retry window without success. */
  void abandonCallback(String executionId, String lastError);
}
