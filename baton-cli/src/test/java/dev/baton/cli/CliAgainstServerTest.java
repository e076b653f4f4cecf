package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands of the README, run in-process against a real {@code baton server} (embedded
 * Temporal, SQLite, the repository's example agents), so the documented behaviour cannot drift.
 */
class CliAgainstServerTest {

  private static final String SLEEPER =
      """
      name: sleeper
      description: Sleeps for ten minutes unless cancelled
      runner: command
      timeout: 10m
      settings:
        command: [sh, -c, "sleep 600"]
      """;
  private static final String WORDY =
      """
      name: wordy
      description: Writes five million characters, more than gRPC's default 4 MiB answer
      runner: command
      settings:
        command: [sh, -c, "head -c 5000000 /dev/zero | tr '\\\\0' w"]
      """;
  private static final String UNKNOWN_ID = "01JD3Z8Q4W5X6Y7Z8A9B0C1D2E";
  private static final Duration FINISHES_WITHIN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path home;

  private static RealBatonServer server;

  @BeforeAll
  static void startServer() {
    server = RealBatonServer.start(home, Map.of("sleeper.yaml", SLEEPER, "wordy.yaml", WORDY));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void agentListShowsTheExampleAgents() {
    CliResult result = baton("agent", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("NAME", "DESCRIPTION")
        .contains("shout", "Repeats the message in capitals")
        .contains("summarize", "failing");
  }

  @Test
  void createWithWatchPrintsTheAgentOutput() {
    CliResult result = baton("exec", "create", "--agent", "shout", "--message", "hello", "--watch");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains("COMPLETED").contains("HELLO");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void getAsJsonShowsTheOutputAndNoCallbackToken() {
    String id = createdId("shout", "hello json");
    awaitPhase(id, "COMPLETED");

    CliResult result = baton("exec", "get", id, "-o", "json");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    JsonNode execution = json(result.out());
    assertThat(execution.at("/metadata/id").asText()).isEqualTo(id);
    assertThat(execution.at("/spec/agent").asText()).isEqualTo("shout");
    assertThat(execution.at("/status/phase").asText()).isEqualTo("COMPLETED");
    assertThat(execution.at("/status/output").asText()).isEqualTo("HELLO JSON");
    assertThat(execution.at("/status/callback/state").asText()).isEqualTo("NONE");
    assertThat(execution.findValue("callbackToken")).isNull();
    assertThat(result.out()).doesNotContain("callbackToken");
  }

  @Test
  void jsonKeepsCharactersThatProtobufWouldEscape() {
    CliResult result =
        baton("exec", "create", "-a", "shout", "-m", "k=v <tag> & 'q'", "--watch", "-o", "json");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .contains("\"message\":\"k=v <tag> & 'q'\"", "\"output\":\"K=V <TAG> & 'Q'\"")
        .doesNotContain("\\u003d", "\\u003c", "\\u0026", "\\u0027");
  }

  @Test
  void getAndWatchShowAnOutputLargerThanGrpcsDefaultAnswer() {
    String id = createdId("wordy", "go");
    awaitPhase(id, "COMPLETED");

    CliResult get = baton("exec", "get", id, "-o", "json");
    CliResult watch = baton("exec", "watch", id, "-o", "json");

    assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCodes.OK);
    assertThat(json(get.out()).at("/status/output").asText()).hasSize(5_000_000);
    assertThat(watch.exitCode()).as(watch.err()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aRequestOverGrpcsLimitIsInvalidNotARetry(@TempDir Path dir) throws IOException {
    Path huge = dir.resolve("huge.txt");
    java.nio.file.Files.writeString(huge, "h".repeat(5_000_000));

    CliResult result = baton("exec", "create", "-a", "shout", "--message-file", huge.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(result.err())
        .contains("larger than gRPC allows", "--max-message-bytes")
        .doesNotContain("retry later");
  }

  @Test
  void listByPhaseIncludesACompletedExecution() {
    String id = createdId("shout", "list me");
    awaitPhase(id, "COMPLETED");

    CliResult result = baton("exec", "list", "--phase", "COMPLETED");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).contains(id).contains("LIST ME");
  }

  @Test
  void createWithWatchOfAFailingAgentExitsWith4AndShowsItsError() {
    CliResult result = baton("exec", "create", "--agent", "failing", "--message", "x", "--watch");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.EXECUTION_UNSUCCESSFUL);
    assertThat(result.out())
        .contains("FAILED")
        .contains("failing agent: refusing to work on 'x' (this agent always fails)");
  }

  @Test
  void cancelStopsARunningAgentAndWatchReportsCancelled() {
    String id = createdId("sleeper", "zzz");
    awaitPhase(id, "IN_PROGRESS");

    CliResult cancel = baton("exec", "cancel", id, "--reason", "test is done");

    assertThat(cancel.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(cancel.out()).contains(id);
    CliResult watch =
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> baton("exec", "watch", id));
    assertThat(watch.exitCode()).isEqualTo(ExitCodes.EXECUTION_UNSUCCESSFUL);
    assertThat(watch.out()).contains("CANCELLED");
  }

  @Test
  void getOfAnUnknownIdExitsWith3() {
    CliResult result = baton("exec", "get", UNKNOWN_ID);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err()).startsWith("error: ").contains(UNKNOWN_ID);
  }

  @Test
  void getOfAMalformedIdExitsWith6() {
    CliResult result = baton("exec", "get", "not-an-id");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(result.err())
        .startsWith("error: the server rejected the request: ")
        .contains("expected a 26-character execution id")
        .contains("'not-an-id'");
  }

  @Test
  void createOfAnUnknownAgentExitsWith3AndNamesTheKnownAgents() {
    CliResult result = baton("exec", "create", "--agent", "nope", "--message", "hi");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(result.err())
        .contains("no agent named 'nope'")
        .contains("known agents: echo, failing, shout, sleeper, summarize");
  }

  @Test
  void createWithAnEmptyMessageIsRefusedBeforeReachingTheServer() {
    CliResult result = baton("exec", "create", "--agent", "shout", "--message", "");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("the message from --message is empty");
  }

  @Test
  void createWithATimeoutBeyondTheServerLimitExitsWith6() {
    CliResult result =
        baton("exec", "create", "--agent", "shout", "--message", "hi", "--timeout", "8d");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(result.err())
        .startsWith("error: the server rejected the request: ")
        .contains("spec.timeout");
  }

  @Test
  void aRepeatedRequestIdReturnsTheExecutionAndADifferentRequestUnderItExitsWith7() {
    String requestId = "cli-" + System.nanoTime();
    CliResult first =
        baton("exec", "create", "-a", "shout", "-m", "hi", "--request-id", requestId, "-o", "json");
    CliResult again =
        baton("exec", "create", "-a", "shout", "-m", "hi", "--request-id", requestId, "-o", "json");
    CliResult different =
        baton("exec", "create", "-a", "shout", "-m", "bye", "--request-id", requestId);

    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
    String id = json(first.out()).at("/metadata/id").asText();
    assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCodes.OK);
    assertThat(json(again.out()).at("/metadata/id").asText()).isEqualTo(id);
    assertThat(different.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(different.err())
        .contains("request_id '" + requestId + "' already created execution " + id)
        .contains("(another message)");
  }

  @Test
  void listByLabelShowsOnlyTheExecutionsCarryingEveryGivenLabel() {
    String run = "r" + System.nanoTime();
    String both = createdId("shout", "one", "-l", "run=" + run, "-l", "team=search");
    String runOnly = createdId("shout", "two", "-l", "run=" + run, "-l", "team=billing");
    createdId("shout", "three", "-l", "team=search");

    CliResult byRun = baton("exec", "list", "-l", "run=" + run, "-o", "json");
    CliResult byBoth = baton("exec", "list", "-l", "run=" + run, "-l", "team=search", "-o", "json");
    CliResult badKey = baton("exec", "list", "-l", "bad key=x");

    assertThat(byRun.exitCode()).as(byRun.err()).isEqualTo(ExitCodes.OK);
    assertThat(listedIds(byRun)).containsExactly(runOnly, both);
    assertThat(listedIds(byBoth)).containsExactly(both);
    assertThat(badKey.exitCode()).isEqualTo(ExitCodes.INVALID_ARGUMENT);
    assertThat(badKey.err()).contains("labels: key 'bad key' must be");
  }

  @Test
  void aClosedPortExitsWith5() {
    String closed = "127.0.0.1:" + closedPort();

    CliResult result = Cli.run("agent", "list", "--address", closed);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(result.err()).contains("the Baton server at " + closed + " is unavailable");
  }

  private static List<String> listedIds(CliResult listed) {
    List<String> ids = new ArrayList<>();
    json(listed.out())
        .path("executions")
        .forEach(execution -> ids.add(execution.at("/metadata/id").asText()));
    return ids;
  }

  /** Runs {@code baton args --address <the server>}. */
  private static CliResult baton(String... args) {
    String[] withAddress =
        Stream.concat(Arrays.stream(args), Stream.of("--address", server.address()))
            .toArray(String[]::new);
    return Cli.run(withAddress);
  }

  private static String createdId(String agent, String message, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("exec", "create", "--agent", agent, "--message", message, "-o", "json"));
    args.addAll(List.of(more));
    CliResult created = baton(args.toArray(String[]::new));
    assertThat(created.exitCode()).as(created.err()).isEqualTo(ExitCodes.OK);
    String id = json(created.out()).at("/metadata/id").asText();
    assertThat(id).hasSize(26);
    return id;
  }

  private static void awaitPhase(String id, String phase) {
    await()
        .atMost(FINISHES_WITHIN)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              CliResult get = baton("exec", "get", id, "-o", "json");
              assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCodes.OK);
              assertThat(json(get.out()).at("/status/phase").asText()).isEqualTo(phase);
            });
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** A loopback port nothing listens on (it was free a moment ago). */
  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
