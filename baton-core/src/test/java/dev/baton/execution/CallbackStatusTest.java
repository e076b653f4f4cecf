package dev.baton.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Log lines write a callback's token as its fingerprint, and {@code -} when there is none. */
class CallbackStatusTest {

  @Test
  void aCallbackWithoutATokenIsLoggedAsADash() {
    assertThat(CallbackStatus.none().loggedFingerprint()).isEqualTo("-");
  }

  @Test
  void aCallbackWithATokenIsLoggedByItsFingerprint() {
    assertThat(CallbackStatus.pending("3f9a0c1b2d4e").loggedFingerprint())
        .isEqualTo("3f9a0c1b2d4e");
  }
}
