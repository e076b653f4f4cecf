package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.callback.AgentResult;
import dev.baton.server.auth.ApiKey;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caller SDK sends its API key to a server that requires one. */
class ApiKeyCallerTest {
  @TempDir Path home;

  @Test
  void callerWithKeyCompletesACall() {
    try (TestBaton baton = TestBaton.builder(home).apiKey(ApiKey.generateKey()).start()) {
      List<AgentResult> results =
          baton.caller("auth-caller").call(List.of(AgentCall.of("shout", "hello")), 5_000);

      assertThat(results).extracting(AgentResult::output).containsExactly("HELLO");
    }
  }
}
