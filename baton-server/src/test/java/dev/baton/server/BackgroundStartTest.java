package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BackgroundStartTest {

  @Test
  void joinGivesThePartStartedOnAnotherThread() {
    String[] thread = new String[1];
    BackgroundStart<AutoCloseable> start =
        BackgroundStart.begin(
            "test-start",
            () -> {
              thread[0] = Thread.currentThread().getName();
              return () -> {};
            });

    assertThat(start.join()).isNotNull();
    assertThat(thread[0]).isEqualTo("test-start");
  }

  @Test
  void aFailureToStartIsRethrownAsThrown() {
    IllegalStateException failure = new IllegalStateException("port 7233 is in use");
    BackgroundStart<AutoCloseable> start =
        BackgroundStart.begin(
            "test-start",
            () -> {
              throw failure;
            });

    assertThatThrownBy(start::join).isSameAs(failure);
    start.close(); // nothing started, nothing to stop
  }

  @Test
  void closingStopsThePartEvenWhenNobodyJoinedIt() {
    AtomicBoolean closed = new AtomicBoolean();
    BackgroundStart<AutoCloseable> start =
        BackgroundStart.begin("test-start", () -> () -> closed.set(true));

    start.close();

    assertThat(closed).isTrue();
  }
}
