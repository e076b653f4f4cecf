package dev.baton.execution;

import java.time.Instant;

/**
 * What the execution workflow carries between two admission checks of a queued execution: how often
 * it was checked (for the backoff) and since when its caller's token has been NOT_FOUND (for the
 * caller-gone grace period).
 *
 * @param checks admission checks so far
 * @param goneFingerprint fingerprint of the token last seen NOT_FOUND, or {@code null}
 * @param goneSince when that token was first seen NOT_FOUND, or {@code null}
 */
public record QueueState(int checks, String goneFingerprint, Instant goneSince) {
  public static final QueueState FIRST = new QueueState(0, null, null);
}
