package dev.baton.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void allowsTheBurstAtOnceThenSaysHowLongToWait() {
    TokenBucket bucket = new TokenBucket(10, 3, 0);

    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();

    assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 10);
  }

  @Test
  void refillsAtTheRateUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(2, 2, 0);
    bucket.tryTake(0);
    bucket.tryTake(0);

    assertThat(bucket.tryTake(SECOND / 4)).isEqualTo(SECOND / 4);
    assertThat(bucket.tryTake(SECOND / 2)).isZero();
    assertThat(bucket.isFull(10 * SECOND)).isTrue();
    assertThat(bucket.tryTake(10 * SECOND)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isPositive();
  }
}
