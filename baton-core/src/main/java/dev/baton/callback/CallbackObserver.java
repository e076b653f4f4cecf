package dev.baton.callback;

import dev.baton.execution.Execution;
import java.time.Duration;

/** Told about every RPC towards callers, e.g. to count them. */
public interface CallbackObserver {
  CallbackObserver NONE =
      new CallbackObserver() {
        @Override
        public void delivery(Execution execution, DeliveryAttempt attempt, Duration rpc) {}

        @Override
        public void relayHeartbeat(String result) {}
      };

  /** One completion RPC for the terminal {@code execution}. */
  void delivery(Execution execution, DeliveryAttempt attempt, Duration rpc);

  /**
   * One relay heartbeat: {@code ok}, {@code cancel_requested}, {@code not_found} or {@code error}.
   */
  void relayHeartbeat(String result);
}
