package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

  @Test
  void queuedExecutionsCheckAgainAfterADoublingWaitOfAtMostThirtySeconds() {
    assertThat(AdmissionControl.backoff(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(AdmissionControl.backoff(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(AdmissionControl.backoff(4)).isEqualTo(Duration.ofSeconds(16));
    assertThat(AdmissionControl.backoff(5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(AdmissionControl.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }
}
