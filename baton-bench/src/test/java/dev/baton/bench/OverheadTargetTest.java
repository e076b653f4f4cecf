package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How an overhead target is judged from Baton's and baseline (a)'s percentiles. */
class OverheadTargetTest {

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
}
