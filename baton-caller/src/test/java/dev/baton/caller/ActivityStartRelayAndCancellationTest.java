package dev.baton.caller;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every relay and cancellation case of {@link RelayAndCancellationTest} again, with {@code
 * --eager-start}: the eager run owns the relay, and a cancel reaches it through this server's API
 * or through the activity that adopted it.
 */
class ActivityStartRelayAndCancellationTest extends RelayAndCancellationTest {

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .config(config -> config.relayInterval(RELAY_INTERVAL).eagerStart(false))
            .agent("pid", AgentProcesses.PID_SCRIPT, "2m")
            .start();
  }
}
