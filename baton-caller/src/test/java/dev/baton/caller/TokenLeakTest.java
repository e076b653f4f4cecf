package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.ByteString;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.CallbackState;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CancelExecutionRequest;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ListExecutionsRequest;
import dev.baton.callback.AgentResult;
import dev.baton.caller.ConfiguredCallerWorkflow.CallSettings;
import dev.baton.caller.TokenHolder.Captured;
import dev.baton.caller.TokenHolder.HolderWorkflow;
import dev.baton.caller.TokenHolder.HolderWorkflowImpl;
import dev.baton.execution.CallbackToken;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * No task token reaches a log: end-to-end calls through every handshake path (delivered, agent
 * failed, retried caller, caller gone, cancelled through the API, cancelled by the caller, a
 * damaged token) run with every log event captured, Baton's loggers at DEBUG, and no event's text
 * holds a token's bytes, base64 or hex.
 */
class TokenLeakTest {
  private static final String QUEUE = "leak-callers";

  @TempDir static Path home;
  static TestBaton baton;
  static final List<byte[]> tokensSentToBaton = new CopyOnWriteArrayList<>();
  static final TokenHolder.Tokens held = new TokenHolder.Tokens();
  static final CapturingAppender logs = new CapturingAppender();
  static Level previousBatonLevel;

  @BeforeAll
  static void runEveryHandshakePathWithLogsCaptured() {
    captureLogs();
    baton =
        TestBaton.builder(home)
            .config(config -> config.relayInterval(Duration.ofMillis(300)))
            .agent("hold", "sleep 600", "2m")
            .callerWorkers(
                (factory, client) -> {
                  Worker worker = factory.newWorker(QUEUE);
                  worker.registerWorkflowImplementationTypes(
                      ConfiguredCallerWorkflowImpl.class, HolderWorkflowImpl.class);
                  worker.registerActivitiesImplementations(
                      new RecordingAgentCalls(new AgentCallActivitiesImpl(client)), held);
                })
            .start();

    // delivered
    assertThat(call("leak-delivered", "shout", CallSettings.oneAttempt(Duration.ofSeconds(30))))
        .extracting(AgentResult::output)
        .isEqualTo("HELLO");
    // the agent fails
    assertFails(() -> call("leak-agent-fails", "fail", oneAttempt()));
    // the first attempt times out; the retry rebinds its new token to the same execution
    assertThat(
            call(
                "leak-retried",
                "slow",
                CallSettings.oneAttempt(Duration.ofSeconds(3))
                    .withRetries(2, Duration.ofSeconds(1))))
        .extracting(AgentResult::output)
        .isEqualTo("hello");
    // the caller times out before the agent ends: caller gone
    assertFails(
        () -> call("leak-caller-gone", "slow", CallSettings.oneAttempt(Duration.ofMillis(1500))));
    cancelThroughApi();
    cancelByCaller();
    damagedToken();
    // every callback decided (the caller-gone one only once its agent ended)
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                baton
                    .api
                    .list(ListExecutionsRequest.newBuilder().setPageSize(100).build())
                    .getExecutionsList()
                    .stream()
                    .allMatch(
                        e ->
                            e.getStatus().getCallback().getState()
                                != CallbackState.CALLBACK_PENDING));
  }

  @AfterAll
  static void stop() {
    if (baton != null) {
      baton.close();
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
    context.getLogger("dev.baton").setLevel(previousBatonLevel);
    logs.stop();
  }

  @Test
  void noLogEventHoldsATokenInAnyEncoding() {
    List<byte[]> tokens = new ArrayList<>(tokensSentToBaton);
    held.of("leak-damaged-token").map(Captured::token).ifPresent(tokens::add);
    // delivered, agent fails, two attempts of the retried call, caller gone, two cancelled calls,
    // the damaged token and the real one it came from
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(9);

    for (byte[] token : tokens) {
      String fingerprint = CallbackToken.fingerprint(token);
      for (String encoded : encodings(token)) {
        assertThat(logs.texts())
            .as(
                "log events holding token %s (%d bytes) encoded as '%s'",
                fingerprint, token.length, encoded)
            .noneMatch(text -> text.contains(encoded));
      }
    }
  }

  @Test
  void logsNameTokensByFingerprintAndIncludeBatonDebugEvents() {
    for (byte[] token : tokensSentToBaton) {
      assertThat(logs.anyContains("token=" + CallbackToken.fingerprint(token))).isTrue();
    }
    assertThat(logs.levelsOf("dev.baton")).contains(Level.DEBUG, Level.INFO, Level.WARN);
  }

  private static AgentResult call(String workflowId, String agent, CallSettings settings) {
    return baton.configuredCaller(workflowId, QUEUE).call(AgentCall.of(agent, "hello"), settings);
  }

  private static CallSettings oneAttempt() {
    return CallSettings.oneAttempt(Duration.ofSeconds(30));
  }

  private static void assertFails(Runnable call) {
    assertThat(catchThrowable(call::run)).isInstanceOf(WorkflowFailedException.class);
  }

  private static void cancelThroughApi() {
    ConfiguredCallerWorkflow caller = baton.configuredCaller("leak-api-cancel", QUEUE);
    CompletableFuture<AgentResult> result =
        WorkflowClient.execute(caller::call, AgentCall.of("hold", "x"), oneAttempt());
    String id = baton.runningExecutionOf("leak-api-cancel").getMetadata().getId();
    baton.api.cancel(CancelExecutionRequest.newBuilder().setId(id).setReason("stop it").build());
    assertThat(catchThrowable(result::join)).hasCauseInstanceOf(WorkflowFailedException.class);
  }

  private static void cancelByCaller() {
    ConfiguredCallerWorkflow caller = baton.configuredCaller("leak-caller-cancels", QUEUE);
    CompletableFuture<AgentResult> result =
        WorkflowClient.execute(
            caller::call,
            AgentCall.of("hold", "x"),
            oneAttempt()
                .withCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED));
    baton.runningExecutionOf("leak-caller-cancels");
    WorkflowStub.fromTyped(caller).cancel();
    assertThat(catchThrowable(result::join)).hasCauseInstanceOf(WorkflowFailedException.class);
  }

  /** A real, live token with bytes flipped in its middle, sent to Baton by hand. */
  private static void damagedToken() {
    HolderWorkflow holder =
        baton.callerClient.newWorkflowStub(
            HolderWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("leak-damaged-token")
                .setTaskQueue(QUEUE)
                .build());
    WorkflowClient.start(holder::hold);
    Captured captured =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> held.of("leak-damaged-token"), c -> c.isPresent())
            .get();
    byte[] damaged = captured.token().clone();
    for (int i = damaged.length / 3; i < damaged.length / 3 + 4; i++) {
      damaged[i] ^= (byte) 0x5a;
    }
    tokensSentToBaton.add(damaged);
    AgentExecution created =
        baton.api.create(
            CreateExecutionRequest.newBuilder()
                .setSpec(
                    ExecutionSpec.newBuilder()
                        .setAgent("shout")
                        .setMessage("damaged")
                        .setCallbackToken(ByteString.copyFrom(damaged))
                        .setCaller(
                            CallerIdentity.newBuilder()
                                .setNamespace(captured.namespace())
                                .setWorkflowId(captured.workflowId())
                                .setRunId(captured.runId())
                                .setActivityId(captured.activityId())
                                .setAttempt(captured.attempt())))
                .build());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                baton.get(created.getMetadata().getId()).getStatus().getCallback().getState()
                    != CallbackState.CALLBACK_PENDING);
  }

  /** The token as text a careless log line could hold it in. */
  private static List<String> encodings(byte[] token) {
    String hex = HexFormat.of().formatHex(token);
    List<String> encodings =
        new ArrayList<>(
            List.of(
                new String(token, StandardCharsets.ISO_8859_1),
                Base64.getEncoder().encodeToString(token),
                Base64.getEncoder().withoutPadding().encodeToString(token),
                Base64.getUrlEncoder().encodeToString(token),
                Base64.getUrlEncoder().withoutPadding().encodeToString(token),
                hex,
                hex.toUpperCase(Locale.ROOT)));
    return encodings.stream().distinct().toList();
  }

  private static void captureLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    logs.setContext(context);
    logs.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    Logger batonLogger = context.getLogger("dev.baton");
    previousBatonLevel = batonLogger.getLevel();
    batonLogger.setLevel(Level.DEBUG);
  }

  /** Records the task token Temporal gives each call before handing the call to Baton. */
  private static final class RecordingAgentCalls implements AgentCallActivities {
    private final AgentCallActivities delegate;

    RecordingAgentCalls(AgentCallActivities delegate) {
      this.delegate = delegate;
    }

    @Override
    public AgentResult callAgent(AgentCall call) {
      tokensSentToBaton.add(Activity.getExecutionContext().getTaskToken());
      return delegate.callAgent(call);
    }
  }

  /** Keeps the full text of every log event: message with arguments, arguments, MDC, throwable. */
  private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final List<String> texts = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder text = new StringBuilder(event.getFormattedMessage());
      if (event.getArgumentArray() != null) {
        for (Object argument : event.getArgumentArray()) {
          text.append('\n').append(argument);
        }
      }
      event.getMDCPropertyMap().forEach((key, value) -> text.append('\n').append(value));
      if (event.getThrowableProxy() != null) {
        text.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      events.add(event);
      texts.add(text.toString());
    }

    List<String> texts() {
      return texts;
    }

    boolean anyContains(String part) {
      return texts.stream().anyMatch(text -> text.contains(part));
    }

    List<Level> levelsOf(String loggerPrefix) {
      return events.stream()
          .filter(event -> event.getLoggerName().startsWith(loggerPrefix))
          .map(ILoggingEvent::getLevel)
          .distinct()
          .toList();
    }
  }
}
