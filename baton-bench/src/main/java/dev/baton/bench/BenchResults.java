package dev.baton.bench;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Everything one benchmark run measured, ready to be rendered. */
record BenchResults(
    BenchSettings settings,
    String command,
    Instant startedAt,
    String loadBefore,
    String loadAfter,
    long runSeconds,
    long serverStartMillis,
    Optional<Long> serverCommandStartMillis,
    Optional<Long> cliRoundTripMillis,
    List<Measurement> rows,
    List<WarmUp.Result> warmUps,
    List<StoreWrites.Result> storeWrites,
    Scenarios.PendingResult pending,
    Scenarios.WallResult longHandshake,
    Scenarios.WallResult longBlocking,
    List<String> failures) {

  Optional<Measurement> row(String scenario, CallMode mode) {
    return rows.stream().filter(r -> r.scenario().equals(scenario) && r.mode() == mode).findFirst();
  }
}
