package dev.baton.bench;

import com.google.protobuf.Timestamp;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.AgentExecutionServiceGrpc.AgentExecutionServiceBlockingStub;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionPhase;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.GetExecutionRequest;
import dev.baton.api.v1.WatchExecutionRequest;
import dev.baton.api.v1.WatchExecutionResponse;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Baseline implementations, sharing the caller worker's slots with Baton's activity. */
final class BaselineActivitiesImpl implements BaselineActivities {
  private static final long POLL_INTERVAL_MILLIS = 1000;

  private final ActivityCompletionClient completions;
  private final ScheduledExecutorService completer;
  private final AgentExecutionServiceBlockingStub api;
  private final SlotGauge gauge;

  BaselineActivitiesImpl(
      ActivityCompletionClient completions,
      ScheduledExecutorService completer,
      AgentExecutionServiceBlockingStub api,
      SlotGauge gauge) {
    this.completions = completions;
    this.completer = completer;
    this.api = api;
    this.gauge = gauge;
  }

  @Override
  public long rawAsync(long delayMillis) {
    return gauge.track(
        () -> {
          ActivityExecutionContext context = Activity.getExecutionContext();
          byte[] token = context.getTaskToken();
          context.doNotCompleteOnReturn();
          completer.schedule(
              () -> completions.complete(token, delayMillis), delayMillis, TimeUnit.MILLISECONDS);
          return 0L;
        });
  }

  @Override
  public long sync(long delayMillis) {
    return gauge.track(
        () -> {
          long start = System.nanoTime();
          if (delayMillis > 0) {
            sleep(delayMillis);
          }
          return (System.nanoTime() - start) / 1_000_000;
        });
  }

  @Override
  public long polling(String agent) {
    return gauge.track(
        () -> {
          AgentExecution execution = api.create(request(agent));
          while (!terminal(execution)) {
            sleep(POLL_INTERVAL_MILLIS);
            execution =
                api.get(
                    GetExecutionRequest.newBuilder()
                        .setId(execution.getMetadata().getId())
                        .build());
          }
          return agentMillis(execution);
        });
  }

  @Override
  public long blocking(String agent) {
    return gauge.track(
        () -> {
          AgentExecution execution = api.create(request(agent));
          Iterator<WatchExecutionResponse> updates =
              api.watch(
                  WatchExecutionRequest.newBuilder()
                      .setId(execution.getMetadata().getId())
                      .build());
          while (!terminal(execution) && updates.hasNext()) {
            execution = updates.next().getExecution();
          }
          return agentMillis(execution);
        });
  }

  private static CreateExecutionRequest request(String agent) {
    return CreateExecutionRequest.newBuilder()
        .setSpec(ExecutionSpec.newBuilder().setAgent(agent).setMessage("ping"))
        .build();
  }

  private static boolean terminal(AgentExecution execution) {
    ExecutionPhase phase = execution.getStatus().getPhase();
    return phase == ExecutionPhase.COMPLETED
        || phase == ExecutionPhase.FAILED
        || phase == ExecutionPhase.CANCELLED;
  }

  private static long agentMillis(AgentExecution execution) {
    return millis(execution.getStatus().getEndTime())
        - millis(execution.getStatus().getStartTime());
  }

  private static long millis(Timestamp timestamp) {
    return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
