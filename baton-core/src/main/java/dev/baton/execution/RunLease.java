package dev.baton.execution;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A server's claim to be running an execution's agent outside its agent activity (an eager start,
 * {@link EagerRuns}): while it is live, no other run of the agent may start.
 *
 * @param owner the server process that runs the agent; unique per process
 * @param expiresAt when the claim lapses unless renewed; the owner renews it while the agent runs.
 *     Kept to the millisecond, as the store keeps it
 */
public record RunLease(String owner, Instant expiresAt) {

  public RunLease {
    Objects.requireNonNull(owner, "owner");
    expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MILLIS);
  }

  public boolean isLiveAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
