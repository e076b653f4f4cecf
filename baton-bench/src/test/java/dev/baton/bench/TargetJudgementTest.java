package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the overhead and burst targets are judged from Baton's and baseline (a)'s percentiles. */
class TargetJudgementTest {

  @Test
  void theOverheadIsBatonsPercentileMinusTheBaselines() {
    Report.Target met = Report.overhead("p99", 12, 5, 50);
    Report.Target missed = Report.overhead("p99", 60, 5, 50);

    assertThat(met.measured()).isEqualTo("7 ms");
    assertThat(met.pass()).isTrue();
    assertThat(missed.measured()).isEqualTo("55 ms");
    assertThat(missed.pass()).isFalse();
  }

  @Test
  void aSlowerBaselineLeavesBatonsOwnPercentileAsTheBound() {
    Report.Target bounded = Report.overhead("p99", 10, 16, 50);

    assertThat(bounded.pass()).isTrue();
    assertThat(bounded.measured()).startsWith("at most 10 ms").doesNotContain("inconclusive");
  }

  @Test
  void aSlowerBaselineIsInconclusiveWhenBatonsOwnPercentileIsOverTheLimit() {
    Report.Target inconclusive = Report.overhead("p99", 80, 100, 50);

    assertThat(inconclusive.pass()).isFalse();
    assertThat(inconclusive.measured()).contains("at most 80 ms", "inconclusive");
  }

  @Test
  void theBurstIsJudgedOnBatonsPercentileWithTheBaselinesBesideIt() {
    Report.Target met = Report.burst("burst", 900, Optional.of(1_200L));
    Report.Target missed = Report.burst("burst", 1_100, Optional.of(800L));

    assertThat(met.pass()).isTrue();
    assertThat(met.measured()).isEqualTo("900 ms ((a) in the same run: 1200 ms)");
    assertThat(missed.pass()).isFalse();
    assertThat(missed.measured()).isEqualTo("1100 ms ((a) in the same run: 800 ms)");
    assertThat(Report.burst("burst", 1_000, Optional.empty()).measured()).isEqualTo("1000 ms");
  }
}
