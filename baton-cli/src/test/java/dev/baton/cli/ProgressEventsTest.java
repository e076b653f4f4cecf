package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionEvent;
import dev.baton.api.v1.ExecutionEventType;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress events end to end: a command agent's stderr lines are stored, streamed by Watch over
 * real gRPC in order and live, capped when the agent floods, and printed by {@code baton exec}.
 */
class ProgressEventsTest {
  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final int FLOOD_LINES = 20_000;
  private static final Pattern DROPPED = Pattern.compile("^(\\d+) events? dropped");

  @TempDir static Path home;
  @TempDir static Path gates;

  private static RealBatonServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void startServer() {
    server =
        RealBatonServer.start(
            home,
            Map.of(
                "stepper.yaml", agent("stepper", stepperScript()),
                "gated.yaml", agent("gated", gatedScript()),
                "flood.yaml",
                    agent(
                        "flood",
                        "seq 1 " + FLOOD_LINES + " | sed 's/^/line /' >&2; echo flooded")));
    channel = NettyChannelBuilder.forTarget(server.address()).usePlaintext().build();
  }

  @AfterAll
  static void stopServer() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void watchStreamsEachStderrLineAsALogEventInOrderBeforeTheFinalState() throws IOException {
    String id = create("gated", gates.toString());
    Iterator<WatchExecutionResponse> stream = watch(id);

    List<WatchExecutionResponse> beforeGate =
        assertTimeoutPreemptively(WITHIN, () -> readUntilEvents(stream, 3));
    Files.createFile(gates.resolve("open"));
    List<WatchExecutionResponse> rest = assertTimeoutPreemptively(WITHIN, () -> readAll(stream));

    // The three lines arrived while the agent still waited at its gate: live, not at the end.
    assertThat(beforeGate)
        .noneMatch(
            r ->
                r.hasExecution()
                    && r.getExecution().getStatus().getPhase() == ExecutionPhase.COMPLETED);
    List<ExecutionEvent> events = events(beforeGate);
    assertThat(events)
        .extracting(ExecutionEvent::getType)
        .containsOnly(ExecutionEventType.LOG_LINE);
    assertThat(events)
        .extracting(ExecutionEvent::getText)
        .containsExactly("step 1", "step 2", "step 3");
    assertThat(events).extracting(ExecutionEvent::getSequence).containsExactly(1L, 2L, 3L);
    assertThat(events(rest)).isEmpty();
    WatchExecutionResponse last = rest.get(rest.size() - 1);
    assertThat(last.getExecution().getStatus().getPhase()).isEqualTo(ExecutionPhase.COMPLETED);
    assertThat(last.getExecution().getStatus().getOutput()).isEqualTo("gate passed");
  }

  @Test
  void watchOfAFinishedExecutionReplaysItsEventsThenItsStateAndEnds() {
    String id = create("stepper", "hi");
    assertTimeoutPreemptively(WITHIN, () -> readAll(watch(id)));

    List<WatchExecutionResponse> replay =
        assertTimeoutPreemptively(WITHIN, () -> readAll(watch(id)));

    assertThat(replay).hasSize(4);
    assertThat(events(replay))
        .extracting(ExecutionEvent::getText)
        .containsExactly("step 1", "step 2", "step 3");
    assertThat(replay.get(3).getExecution().getStatus().getPhase())
        .isEqualTo(ExecutionPhase.COMPLETED);
  }

  @Test
  void aFloodingAgentIsCappedAndTheDropsAreCounted() {
    String id = create("flood", "hi");

    List<WatchExecutionResponse> all = assertTimeoutPreemptively(WITHIN, () -> readAll(watch(id)));

    List<ExecutionEvent> events = events(all);
    long kept = events.stream().filter(e -> e.getType() == ExecutionEventType.LOG_LINE).count();
    long dropped =
        events.stream()
            .filter(e -> e.getType() == ExecutionEventType.EVENTS_DROPPED)
            .mapToLong(ProgressEventsTest::droppedCount)
            .sum();
    assertThat(kept).isPositive().isLessThanOrEqualTo(5_000);
    assertThat(dropped).isPositive();
    assertThat(kept + dropped).isEqualTo(FLOOD_LINES);
    assertThat(events)
        .extracting(ExecutionEvent::getSequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(all.get(all.size() - 1).getExecution().getStatus().getOutput()).isEqualTo("flooded");
  }

  @Test
  void execCreateWithWatchPrintsTheEventsAsIndentedLinesThenTheOutput() {
    CliResult result =
        assertTimeoutPreemptively(
            WITHIN,
            () -> baton("exec", "create", "--agent", "stepper", "--message", "hi", "--watch"));

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .containsSubsequence("  │ step 1\n", "  │ step 2\n", "  │ step 3\n", "COMPLETED", "stepped")
        .doesNotContain("\r");
  }

  @Test
  void execWatchAsJsonPrintsEventsAsJsonLines() {
    String id = create("stepper", "hi");

    CliResult result =
        assertTimeoutPreemptively(WITHIN, () -> baton("exec", "watch", id, "-o", "json"));

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
    assertThat(result.out().lines().filter(line -> line.startsWith("{\"event\":")))
        .hasSize(3)
        .allMatch(line -> line.contains("\"type\":\"LOG_LINE\""))
        .anyMatch(line -> line.contains("\"text\":\"step 2\""));
  }

  private static String stepperScript() {
    return "echo 'step 1' >&2; sleep 0.2; echo 'step 2' >&2; sleep 0.2; echo 'step 3' >&2;"
        + " echo stepped";
  }

  /** Logs three lines, then waits for the file {@code open} in the directory it is given. */
  private static String gatedScript() {
    return "dir=$(cat); echo 'step 1' >&2; sleep 0.2; echo 'step 2' >&2; sleep 0.2;"
        + " echo 'step 3' >&2; while [ ! -f \"$dir/open\" ]; do sleep 0.05; done; echo 'gate passed'";
  }

  private static String agent(String name, String script) {
    return "name: "
        + name
        + "\ndescription: test agent\nrunner: command\ntimeout: 2m\nsettings:\n  command: [sh, -c, "
        + "'"
        + script.replace("'", "''")
        + "']\n";
  }

  private static String create(String agent, String message) {
    return stub()
        .create(
            CreateExecutionRequest.newBuilder()
                .setSpec(ExecutionSpec.newBuilder().setAgent(agent).setMessage(message))
                .build())
        .getMetadata()
        .getId();
  }

  private static Iterator<WatchExecutionResponse> watch(String id) {
    return stub().watch(WatchExecutionRequest.newBuilder().setId(id).build());
  }

  private static AgentExecutionServiceBlockingStub stub() {
    return AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  private static List<WatchExecutionResponse> readUntilEvents(
      Iterator<WatchExecutionResponse> stream, int count) {
    List<WatchExecutionResponse> read = new ArrayList<>();
    while (events(read).size() < count && stream.hasNext()) {
      read.add(stream.next());
    }
    return read;
  }

  private static List<WatchExecutionResponse> readAll(Iterator<WatchExecutionResponse> stream) {
    List<WatchExecutionResponse> read = new ArrayList<>();
    stream.forEachRemaining(read::add);
    return read;
  }

  private static List<ExecutionEvent> events(List<WatchExecutionResponse> responses) {
    return responses.stream()
        .filter(WatchExecutionResponse::hasEvent)
        .map(WatchExecutionResponse::getEvent)
        .toList();
  }

  private static long droppedCount(ExecutionEvent event) {
    Matcher matcher = DROPPED.matcher(event.getText());
    assertThat(matcher.find()).as(event.getText()).isTrue();
    return Long.parseLong(matcher.group(1));
  }

  private static CliResult baton(String... args) {
    return Cli.run(
        Stream.concat(Stream.of(args), Stream.of("--address", server.address()))
            .toArray(String[]::new));
  }
}
