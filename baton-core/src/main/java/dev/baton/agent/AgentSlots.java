package dev.baton.agent;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many agents this server runs at once ({@code --agent-slots}), counted over every way an agent
 * starts: in its agent activity and eagerly at Create ({@link dev.baton.execution.EagerRuns}). An
 * activity that only waits for an eager run takes none.
 */
public final class AgentSlots {
  private final Semaphore permits;

  public AgentSlots(int slots) {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    this.permits = new Semaphore(slots, true);
  }

  /** Slots enough for any number of agents: for runners whose worker alone bounds them. */
  public static AgentSlots unlimited() {
    return new AgentSlots(Integer.MAX_VALUE);
  }

  /** Takes a slot if one is free now. */
  public boolean tryTake() {
    return permits.tryAcquire();
  }

  /**
   * Takes a slot, waiting up to {@code atMost}.
   *
   * @return false when none freed in time
   */
  public boolean take(Duration atMost) throws InterruptedException {
    return permits.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void release() {
    permits.release();
  }
}
