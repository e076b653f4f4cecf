package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.callback.AgentResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's first heartbeat comes a second into the run: an agent that answers at once costs its
 * caller's Temporal no heartbeat, one that runs for seconds is heartbeated as before.
 */
class RelayFirstBeatTest {
  private static final Pattern RELAYED =
      Pattern.compile("(?m)^baton_relay_heartbeats_total\\{[^}]*result=\"ok\"[^}]*} (\\S+)$");

  @TempDir Path home;

  @Test
  void anAgentThatAnswersAtOnceIsNotHeartbeatedAndASlowOneIs() throws Exception {
    try (TestBaton baton = TestBaton.start(home)) {
      HttpClient http = HttpClient.newHttpClient();

      AgentResult quick =
          baton.caller("quick").call(List.of(AgentCall.of("shout", "at once")), 0).get(0);

      assertThat(quick.durationMillis()).isLessThan(1000);
      assertThat(relayed(http, baton)).isZero();

      baton.caller("slow").call(List.of(AgentCall.of("slow", "takes seconds")), 0);

      assertThat(relayed(http, baton)).isGreaterThanOrEqualTo(1);
    }
  }

  /** Relay heartbeats answered OK so far, from the server's metrics. */
  private static double relayed(HttpClient http, TestBaton baton)
      throws IOException, InterruptedException {
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + baton.server.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher relayed = RELAYED.matcher(metrics);
    return relayed.find() ? Double.parseDouble(relayed.group(1)) : 0;
  }
}
