package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  private final AtomicInteger rounds = new AtomicInteger();

  /** CPU samples whose compiler share per round is {@code percents}, one round after another. */
  private static Iterator<Optional<CompilerCpu.Sample>> samples(double... percents) {
    long process = 0;
    long compiler = 0;
    List<Optional<CompilerCpu.Sample>> list = new java.util.ArrayList<>();
    for (double percent : percents) {
      list.add(Optional.of(new CompilerCpu.Sample(process, compiler)));
      process += 1000;
      compiler += Math.round(percent * 10);
      list.add(Optional.of(new CompilerCpu.Sample(process, compiler)));
    }
    return list.iterator();
  }

  @Test
  void stopsAtTheFirstRoundWhoseCompilerShareIsWithinTheLimit() {
    Iterator<Optional<CompilerCpu.Sample>> cpu = samples(40, 12, 5, 1);

    WarmUp.Rounds result = WarmUp.untilCompiled(30, 5.0, rounds::incrementAndGet, cpu::next);

    assertThat(rounds).hasValue(3);
    assertThat(result.count()).isEqualTo(3);
    assertThat(result.lastCompilerPercent()).hasValue(5.0);
  }

  @Test
  void stopsAfterTheMostRoundsWhenTheCompilersNeverSettle() {
    Iterator<Optional<CompilerCpu.Sample>> cpu = samples(40, 30, 20, 10, 9, 8);

    WarmUp.Rounds result = WarmUp.untilCompiled(4, 5.0, rounds::incrementAndGet, cpu::next);

    assertThat(rounds).hasValue(4);
    assertThat(result.lastCompilerPercent()).hasValue(10.0);
  }

  @Test
  void runsTheMostRoundsWhenTheCompilersCannotBeRead() {
    WarmUp.Rounds result =
        WarmUp.untilCompiled(3, 5.0, rounds::incrementAndGet, Optional::<CompilerCpu.Sample>empty);

    assertThat(rounds).hasValue(3);
    assertThat(result.lastCompilerPercent()).isEmpty();
  }
}
