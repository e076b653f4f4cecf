package dev.baton.bench;

import io.temporal.activity.ActivityInterface;

/** The alternatives Baton is measured against; each returns the agent's run time in ms. */
@ActivityInterface
public interface BaselineActivities {

  /** (a) Hands the task token to a local thread that completes it after the delay. */
  long rawAsync(long delayMillis);

  /** (b) Does the agent's work (waits the delay) in the activity and returns when it ends. */
  long sync(long delayMillis);

  /** (c) Creates an execution without a token, then polls Get every second until it ends. */
  long polling(String agent);

  /** (d) Creates an execution without a token and watches it to the end, holding the slot. */
  long blocking(String agent);
}
