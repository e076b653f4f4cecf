package dev.baton.execution;

import java.time.Duration;

/**
 * Bounds on what a request may carry; requests beyond them are refused before anything is stored or
 * started.
 *
 * @param maxMessageBytes UTF-8 size of a message; default 1 MiB
 * @param maxTokenBytes size of a callback token; default 8 KiB
 * @param maxTimeout the longest agent deadline a request may ask for; default 7 days
 * @param maxLabels labels per execution; default 32
 */
public record ExecutionLimits(
    int maxMessageBytes, int maxTokenBytes, Duration maxTimeout, int maxLabels) {

  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

  /** The longest agent deadline: a request's and an agent definition's alike. */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(7);

  public static ExecutionLimits defaults() {
    return new ExecutionLimits(DEFAULT_MAX_MESSAGE_BYTES, 8 * 1024, MAX_TIMEOUT, 32);
  }
}
