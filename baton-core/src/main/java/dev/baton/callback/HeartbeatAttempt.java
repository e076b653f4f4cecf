package dev.baton.callback;

/**
 * The outcome of one relay heartbeat to a caller's activity.
 *
 * @param cancelRequested the caller's workflow asked to cancel the activity
 */
public record HeartbeatAttempt(DeliveryAttempt attempt, boolean cancelRequested) {}
