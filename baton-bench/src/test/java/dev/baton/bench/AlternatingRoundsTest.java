package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Baton and baseline (a) take turns, so that their ratio compares the same moments. */
class AlternatingRoundsTest {
  private static final BenchCall BATON = new BenchCall(CallMode.BATON, "echo", 0);
  private static final BenchCall RAW = new BenchCall(CallMode.RAW_ASYNC, "echo", 0);

  @Test
  void theModesTakeTurnsEachRoundTakingItsShareOfTheCalls() {
    List<String> turns = new ArrayList<>();

    List<Measurement> measured =
        new Scenarios(null, 0)
            .alternating(
                "scenario",
                List.of(BATON, RAW),
                7,
                3,
                "note",
                (call, share) -> {
                  turns.add(call.mode() + " x" + share);
                  return samples(share, call == BATON ? 20 : 10);
                });

    assertThat(turns)
        .containsExactly(
            "BATON x3", "RAW_ASYNC x3", "BATON x2", "RAW_ASYNC x2", "BATON x2", "RAW_ASYNC x2");
    assertThat(measured)
        .extracting(Measurement::mode)
        .containsExactly(CallMode.BATON, CallMode.RAW_ASYNC);
    assertThat(measured).allSatisfy(m -> assertThat(m.endToEnd().count()).isEqualTo(7));
    assertThat(measured.get(0).handshake().p50()).isEqualTo(20);
    assertThat(measured.get(1).handshake().p50()).isEqualTo(10);
    assertThat(measured).extracting(Measurement::note).containsOnly("note");
  }

  @Test
  void roundsWithoutCallsAreSkipped() {
    List<String> turns = new ArrayList<>();

    new Scenarios(null, 0)
        .alternating(
            "scenario",
            List.of(BATON, RAW),
            1,
            4,
            "",
            (call, share) -> {
              turns.add(call.mode() + " x" + share);
              return samples(share, 1);
            });

    assertThat(turns).containsExactly("BATON x1", "RAW_ASYNC x1");
  }

  @Test
  void aWarmedUpScenarioRunsItsUnreportedRoundsAsTheWarmUpDecidesThenReportsOneRunOfEachMode() {
    List<String> runs = new ArrayList<>();

    Scenarios.Bursts bursts =
        Scenarios.warmedUp(
            List.of(BATON, RAW),
            call -> {
              runs.add(call.mode().name());
              Stats run = Stats.of(List.of((long) runs.size()));
              return new Measurement(
                  "burst", call.mode(), run, run, run, 1, 1.0, 0, 0, "5 started at once");
            },
            round -> {
              round.run();
              round.run();
              return new WarmUp.Rounds(2, OptionalDouble.of(1.5));
            });

    assertThat(runs)
        .containsExactly("BATON", "RAW_ASYNC", "BATON", "RAW_ASYNC", "BATON", "RAW_ASYNC");
    assertThat(bursts.measured())
        .extracting(Measurement::mode)
        .containsExactly(CallMode.BATON, CallMode.RAW_ASYNC);
    assertThat(bursts.measured()).extracting(m -> m.endToEnd().p50()).containsExactly(5L, 6L);
    assertThat(bursts.warmUp().count()).isEqualTo(2);
  }

  private static List<Scenarios.Sample> samples(int count, long activityMillis) {
    return IntStream.range(0, count)
        .mapToObj(i -> new Scenarios.Sample(activityMillis, new BenchOutcome(activityMillis, 0)))
        .toList();
  }

  @Test
  void spreadCallersStartAtRandomWithinTheSpreadTheSameForEveryMode() {
    long[] offsets = Scenarios.startOffsets(100, 1000);

    assertThat(offsets).hasSize(100);
    assertThat(java.util.Arrays.stream(offsets).boxed())
        .allSatisfy(o -> assertThat(o).isBetween(0L, 999L));
    // Independent callers: neither all at once nor evenly spaced.
    assertThat(
            java.util.Arrays.stream(offsets).max().getAsLong()
                - java.util.Arrays.stream(offsets).min().getAsLong())
        .isGreaterThan(800);
    assertThat(java.util.Arrays.stream(offsets).distinct().count()).isGreaterThan(50);
    assertThat(Scenarios.startOffsets(100, 1000)).isEqualTo(offsets);
    assertThat(Scenarios.startOffsets(3, 0)).containsOnly(0L);
  }
}
