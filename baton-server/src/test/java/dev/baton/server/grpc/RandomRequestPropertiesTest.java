package dev.baton.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.api.v1.ListExecutionsResponse;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import dev.baton.execution.ExecutionLimits;
import dev.baton.execution.ExecutionWorkflowOptions;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerConfig;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and malformed requests over real gRPC against a real server (embedded Temporal, SQLite in
 * a temporary directory). Every call ends OK or with a client-error status, never INTERNAL or
 * UNKNOWN; only OK Creates leave executions, each complete and readable; the server stays up.
 */
class RandomRequestPropertiesTest {
  /** The answers a client may get for a request it got wrong, besides OK. */
  private static final Set<Status.Code> CLIENT_ERRORS =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ALREADY_EXISTS,
          Status.Code.OUT_OF_RANGE);

  private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private static Path home;
  private static BatonServer server;
  private static ManagedChannel channel;
  private static AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub api;

  /** Ids of the executions OK Creates returned. */
  private static final Set<String> created = ConcurrentHashMap.newKeySet();

  @BeforeContainer
  static void start() throws IOException {
    home = Files.createTempDirectory("baton-properties");
    Path agents = Files.createDirectories(home.resolve("agents"));
    Files.writeString(
        agents.resolve("echo.yaml"), "name: echo\nrunner: command\nsettings:\n  command: [cat]\n");
    ExecutionWorkflowOptions defaults = ExecutionWorkflowOptions.defaults();
    server =
        BatonServer.start(
            ServerConfig.builder(home)
                .port(0)
                .embeddedTemporalPort(0)
                .metricsPort(0)
                .limits(new ExecutionLimits(1024, 512, java.time.Duration.ofDays(1), 4))
                // Bogus tokens are given up on quickly instead of retried for a day.
                .workflowOptions(
                    new ExecutionWorkflowOptions(
                        defaults.agentHeartbeatTimeout(),
                        defaults.agentDeadlineGrace(),
                        defaults.agentMaxAttempts(),
                        java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(3)))
                .build());
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.port()).usePlaintext().build();
    api = AgentExecutionServiceGrpc.newBlockingStub(channel);
  }

  @AfterContainer
  static void serverIsUpAndStoredExactlyTheOkCreates() throws IOException {
    try {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(ServingStatus.SERVING);
      List<AgentExecution> stored = listAll();
      assertThat(stored)
          .extracting(e -> e.getMetadata().getId())
          .containsExactlyInAnyOrderElementsOf(created);
      for (AgentExecution execution : stored) {
        AgentExecution read =
            api.get(
                GetExecutionRequest.newBuilder().setId(execution.getMetadata().getId()).build());
        assertThat(read.getSpec().getAgent()).isEqualTo("echo");
        assertThat(read.getSpec().getMessage()).isNotBlank();
        assertThat(read.getSpec().getCallbackToken()).isEmpty();
        assertThat(read.getMetadata().hasCreateTime()).isTrue();
        assertThat(read.getMetadata().getSequence()).isPositive();
        assertThat(read.hasStatus()).isTrue();
      }
    } finally {
      channel.shutdownNow();
      server.close();
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
  void createAnswersOkOrAClientError(@ForAll("createRequests") CreateExecutionRequest request) {
    Optional<AgentExecution> answer = call(() -> api.create(request));

    answer.ifPresent(execution -> created.add(execution.getMetadata().getId()));
    answer.ifPresent(execution -> assertThat(execution.getSpec().getCallbackToken()).isEmpty());
  }

  @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
  void listAnswersOkOrAClientError(@ForAll("listRequests") ListExecutionsRequest request) {
    Optional<ListExecutionsResponse> page = call(() -> api.list(request));

    page.ifPresent(
        response -> {
          int size = request.getPageSize() == 0 ? 50 : request.getPageSize();
          assertThat(response.getExecutionsCount()).isLessThanOrEqualTo(size);
        });
  }

  @Property(tries = 100, shrinking = ShrinkingMode.BOUNDED)
  void getAnswersOkOrAClientError(@ForAll("ids") String id) {
    call(() -> api.get(GetExecutionRequest.newBuilder().setId(id).build()));
  }

  @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
  void watchAnswersOkOrAClientError(@ForAll("ids") String id) throws Exception {
    Context.CancellableContext context = Context.current().withCancellation();
    try {
      Iterator<WatchExecutionResponse> responses =
          context.call(
              () ->
                  api.withDeadlineAfter(20, TimeUnit.SECONDS)
                      .watch(WatchExecutionRequest.newBuilder().setId(id).build()));
      call(() -> responses.hasNext());
    } finally {
      context.cancel(null);
    }
  }

  @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
  void cancelOfAnUnknownIdAnswersAClientError(
      @ForAll("unknownIds") String id, @ForAll String reason) {
    Optional<AgentExecution> answer =
        call(
            () ->
                api.cancel(
                    CancelExecutionRequest.newBuilder().setId(id).setReason(reason).build()));

    assertThat(answer).isEmpty();
  }

  /** Runs one call: its answer when OK, empty for a client error; anything else fails. */
  private static <T> Optional<T> call(java.util.function.Supplier<T> rpc) {
    try {
      return Optional.of(rpc.get());
    } catch (StatusRuntimeException e) {
      assertThat(CLIENT_ERRORS)
          .as(
              "status of a bad request: %s %s",
              e.getStatus().getCode(), e.getStatus().getDescription())
          .contains(e.getStatus().getCode());
      assertThat(e.getStatus().getDescription()).as("the error says what was wrong").isNotBlank();
      return Optional.empty();
    }
  }

  private static List<AgentExecution> listAll() {
    List<AgentExecution> all = new ArrayList<>();
    String token = "";
    do {
      ListExecutionsResponse page =
          api.list(
              ListExecutionsRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
      all.addAll(page.getExecutionsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  /** Half plausible requests (most of them valid, so executions exist), half anything. */
  @Provide
  Arbitrary<CreateExecutionRequest> createRequests() {
    return Arbitraries.oneOf(plausibleCreates(), anyCreates());
  }

  private static Arbitrary<CreateExecutionRequest> plausibleCreates() {
    Arbitrary<CallerIdentity> caller =
        Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20),
                Arbitraries.integers().between(1, 3))
            .as(
                (workflow, activity, attempt) ->
                    CallerIdentity.newBuilder()
                        .setNamespace("default")
                        .setWorkflowId(workflow)
                        .setRunId("run")
                        .setActivityId(activity)
                        .setAttempt(attempt)
                        .build());
    Arbitrary<ExecutionSpec> spec =
        Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(m -> !m.isBlank()),
                caller.optional(0.4),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64))
            .as(
                (message, identity, token) -> {
                  ExecutionSpec.Builder builder =
                      ExecutionSpec.newBuilder().setAgent("echo").setMessage(message);
                  // A caller with a bogus task token: delivery fails, the execution still exists.
                  identity.ifPresent(
                      c -> builder.setCaller(c).setCallbackToken(ByteString.copyFrom(token)));
                  return builder.build();
                });
    return Combinators.combine(
            spec,
            Arbitraries.maps(
                    Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10),
                    Arbitraries.strings().ofMaxLength(50))
                .ofMaxSize(5),
            Arbitraries.oneOf(
                Arbitraries.just(""), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)))
        .as(
            (s, labels, requestId) ->
                CreateExecutionRequest.newBuilder()
                    .setSpec(s)
                    .putAllLabels(labels)
                    .setRequestId(requestId)
                    .build());
  }

  private static Arbitrary<CreateExecutionRequest> anyCreates() {
    Arbitrary<ExecutionSpec> spec =
        Combinators.combine(
                Arbitraries.oneOf(Arbitraries.just("echo"), text(80)),
                Arbitraries.oneOf(
                    Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40),
                    text(300),
                    Arbitraries.strings().ofLength(2000),
                    Arbitraries.of("", " ", "\n\t", "\u0000", "\uD83D\uDE00 emoji", "\uD800")),
                tokens(),
                callers().optional(0.5),
                durations().optional(0.3),
                durations().optional(0.3),
                Arbitraries.integers().between(-2, 5),
                Arbitraries.oneOf(Arbitraries.just(""), text(30), knownIds()))
            .as(
                (agent, message, token, caller, timeout, heartbeat, onCallerGone, previous) -> {
                  ExecutionSpec.Builder builder =
                      ExecutionSpec.newBuilder()
                          .setAgent(agent)
                          .setMessage(message)
                          .setCallbackToken(token)
                          .setOnCallerGoneValue(onCallerGone);
                  caller.ifPresent(builder::setCaller);
                  timeout.ifPresent(builder::setTimeout);
                  heartbeat.ifPresent(builder::setCallerHeartbeatTimeout);
                  return builder.setPreviousExecutionId(previous).build();
                });
    return Combinators.combine(
            spec.injectNull(0.05),
            Arbitraries.maps(labelKeys(), text(300)).ofMaxSize(6),
            Arbitraries.oneOf(Arbitraries.just(""), text(150)))
        .as(
            (s, labels, requestId) -> {
              CreateExecutionRequest.Builder builder =
                  CreateExecutionRequest.newBuilder().putAllLabels(labels).setRequestId(requestId);
              if (s != null) {
                builder.setSpec(s);
              }
              return builder.build();
            });
  }

  @Provide
  Arbitrary<ListExecutionsRequest> listRequests() {
    return Combinators.combine(
            Arbitraries.integers().list().ofMaxSize(4),
            Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("echo"), text(100)),
            Arbitraries.oneOf(Arbitraries.integers().between(-5, 1005), Arbitraries.integers()),
            Arbitraries.oneOf(Arbitraries.just(""), ids(), text(200)))
        .as(
            (phases, agent, pageSize, token) ->
                ListExecutionsRequest.newBuilder()
                    .addAllPhasesValue(phases)
                    .setAgent(agent)
                    .setPageSize(pageSize)
                    .setPageToken(token)
                    .build());
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.oneOf(unknownIds(), knownIds());
  }

  /** An id an OK Create returned, once there is one. */
  private static Arbitrary<String> knownIds() {
    return Arbitraries.integers()
        .between(0, 10_000)
        .map(
            i -> {
              List<String> known = List.copyOf(created);
              return known.isEmpty() ? "" : known.get(i % known.size());
            });
  }

  @Provide
  Arbitrary<String> unknownIds() {
    return Arbitraries.oneOf(text(100), wellFormedIds(), Arbitraries.strings().ofLength(20_000))
        .filter(id -> !created.contains(id));
  }

  private static Arbitrary<String> wellFormedIds() {
    return Arbitraries.strings().withChars(CROCKFORD.toCharArray()).ofLength(26);
  }

  /** Any characters, including unpaired surrogates and control characters. */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.strings().all().ofMaxLength(maxLength);
  }

  private static Arbitrary<String> labelKeys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10), text(80));
  }

  private static Arbitrary<ByteString> tokens() {
    return Arbitraries.oneOf(
        Arbitraries.just(ByteString.EMPTY),
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(64)
            .map(ByteString::copyFrom),
        Arbitraries.bytes().array(byte[].class).ofSize(600).map(ByteString::copyFrom));
  }

  private static Arbitrary<CallerIdentity> callers() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.just("default"), text(20)),
            Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20), text(1200)),
            text(20),
            text(20),
            Arbitraries.integers())
        .as(
            (namespace, workflow, run, activity, attempt) ->
                CallerIdentity.newBuilder()
                    .setNamespace(namespace)
                    .setWorkflowId(workflow)
                    .setRunId(run)
                    .setActivityId(activity)
                    .setAttempt(attempt)
                    .build());
  }

  private static Arbitrary<Duration> durations() {
    Arbitrary<Duration> sane =
        Arbitraries.longs().between(1, 7200).map(s -> Duration.newBuilder().setSeconds(s).build());
    Arbitrary<Duration> any =
        Combinators.combine(
                Arbitraries.longs(), Arbitraries.integers().between(-2_000_000_000, 2_000_000_000))
            .as(
                (seconds, nanos) ->
                    Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build());
    return Arbitraries.oneOf(sane, any);
  }
}
