package dev.baton.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedReadinessTest {
  @Test
  void aHangingCheckIsReportedWithinTheBoundAndNotStartedAgainWhileItHangs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger checks = new AtomicInteger();
    BoundedReadiness readiness =
        new BoundedReadiness(
            () -> {
              checks.incrementAndGet();
              try {
                release.await(1, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return null;
            },
            Duration.ofMillis(200),
            Executors.newCachedThreadPool());

    long start = System.nanoTime();
    String first = readiness.problem();
    String second = readiness.problem();
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(first).isEqualTo("the store or Temporal did not answer within 200ms");
    assertThat(second).isEqualTo(first);
    assertThat(waitedMillis).isLessThan(30_000);
    assertThat(checks).hasValue(1);

    release.countDown();
    assertThat(readiness.problem()).isNull();
    assertThat(readiness.problem()).isNull();
    // The hung check answered the first call or was already done, and then new checks ran.
    assertThat(checks.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aCheckThatAnswersInTimeIsPassedOn() {
    BoundedReadiness readiness =
        BoundedReadiness.of(() -> "store unreachable: refused", Duration.ofSeconds(2));

    assertThat(readiness.problem()).isEqualTo("store unreachable: refused");
  }
}
