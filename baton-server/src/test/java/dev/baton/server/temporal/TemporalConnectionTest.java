package dev.baton.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Baton's start against an external Temporal that is not up yet (started together with it, or
 * restarting): the server waits for it up to its connect timeout, 30 s, instead of giving up after
 * the SDK's single health-check attempt.
 */
class TemporalConnectionTest {
  private CompletableFuture<EmbeddedTemporal> temporal;

  @AfterEach
  void stopTemporal() throws Exception {
    if (temporal != null) {
      temporal.get(30, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void connectsToATemporalThatComesUpWithinTheConnectTimeout() throws Exception {
    // given a Temporal that starts listening 12 s from now (the SDK alone gives up after about 5)
    int port = freePort();
    temporal =
        CompletableFuture.supplyAsync(
            () -> EmbeddedTemporal.start(port),
            CompletableFuture.delayedExecutor(12, TimeUnit.SECONDS));

    // when the server connects to it
    long started = System.nanoTime();
    try (TemporalConnection connection = open("127.0.0.1:" + port)) {

      // then it waited for it, and is connected
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThan(Duration.ofSeconds(11));
      assertThat(temporal).isDone();
      assertThat(
              connection
                  .service()
                  .blockingStub()
                  .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
                  .hasCapabilities())
          .isTrue();
    }
  }

  @Test
  void aTemporalThatNeverComesFailsAfterTheConnectTimeoutSayingWhere() {
    // given a port nothing listens on
    int port = freePort();

    // when the server connects to it, then it fails once the 30 s have passed, naming the address
    long started = System.nanoTime();
    assertThatThrownBy(() -> open("127.0.0.1:" + port))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot reach Temporal at 127.0.0.1:" + port + " within 30 s: ")
        .hasMessageContaining("UNAVAILABLE");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(28));
  }

  private static TemporalConnection open(String target) {
    return TemporalConnection.open(
        target,
        TemporalSecurity.plaintext(),
        "default",
        0,
        DefaultDataConverter.STANDARD_INSTANCE,
        new SimpleMeterRegistry());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
