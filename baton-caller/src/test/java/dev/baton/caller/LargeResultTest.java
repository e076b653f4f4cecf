package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1.AgentExecution;
import dev.baton.callback.AgentResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output beyond the callback limit reaches the caller truncated and stays whole in the store. */
class LargeResultTest {
  private static final int LIMIT = 1024;

  @TempDir static Path home;
  static TestBaton baton;

  @BeforeAll
  static void start() {
    baton =
        TestBaton.builder(home)
            .config(config -> config.outputLimitBytes(LIMIT))
            .agent("ten-kb", "head -c 10240 /dev/zero | tr '\\0' x", "30s")
            // "a" then 5,000 two-byte characters: byte 1024 falls inside one of them.
            .agent(
                "two-byte-chars",
                "printf a; i=0; while [ $i -lt 5000 ]; do printf '\\303\\251'; i=$((i+1)); done",
                "30s")
            .start();
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void outputOverLimitReachesCallerTruncatedAndStaysWholeInStore() {
    AgentResult result =
        baton.caller("large-result").call(List.of(AgentCall.of("ten-kb", "go")), 0).get(0);

    assertThat(result.truncated()).isTrue();
    assertThat(result.output()).hasSize(LIMIT).isEqualTo("x".repeat(LIMIT));
    AgentExecution stored = baton.get(result.executionId());
    assertThat(stored.getStatus().getOutput()).isEqualTo("x".repeat(10240));
  }

  @Test
  void truncationNeverSplitsACharacter() {
    AgentResult result =
        baton
            .caller("large-result-utf8")
            .call(List.of(AgentCall.of("two-byte-chars", "go")), 0)
            .get(0);

    String full = "a" + "é".repeat(5000);
    assertThat(result.truncated()).isTrue();
    assertThat(result.output()).isEqualTo("a" + "é".repeat(511));
    assertThat(result.output().getBytes(StandardCharsets.UTF_8)).hasSize(LIMIT - 1);
    assertThat(baton.get(result.executionId()).getStatus().getOutput()).isEqualTo(full);
  }

  @Test
  void outputWithinLimitIsNotTruncated() {
    AgentResult result =
        baton.caller("small-result").call(List.of(AgentCall.of("shout", "short")), 0).get(0);

    assertThat(result.truncated()).isFalse();
    assertThat(result.output()).isEqualTo("SHORT");
  }
}
