package dev.baton.server.temporal;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Baton's connection to Temporal: an external cluster, or an embedded test server. */
public final class TemporalConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalConnection.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final EmbeddedTemporal embedded;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String namespace;

  private TemporalConnection(
      EmbeddedTemporal embedded,
      WorkflowServiceStubs service,
      String namespace,
      DataConverter converter) {
    this.embedded = embedded;
    this.service = service;
    this.namespace = namespace;
    this.client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setDataConverter(converter)
                .build());
  }

  /**
   * Connects to {@code address} as {@code security} says, or starts an embedded Temporal on {@code
   * embeddedPort} when the address is {@code null}.
   *
   * @param converter the data converter of the client and of every worker built on it
   * @throws IllegalArgumentException if {@code security} is not plaintext for the embedded
   *     Temporal, or one of its files is wrong
   */
  public static TemporalConnection open(
      String address,
      TemporalSecurity security,
      String namespace,
      int embeddedPort,
      DataConverter converter,
      MeterRegistry metrics) {
    security.checkUsableWith(address);
    // Files are read before anything starts: a wrong one fails fast and leaves nothing running.
    WorkflowServiceStubsOptions.Builder options =
        security.applyTo(WorkflowServiceStubsOptions.newBuilder(), namespace);
    EmbeddedTemporal embedded = address == null ? EmbeddedTemporal.start(embeddedPort) : null;
    String target = embedded == null ? address : embedded.target();
    if (embedded == null) {
      options.setTarget(address);
    } else {
      options.setChannel(embedded.inProcessChannel());
    }
    // The SDK's own metrics (polls, task latencies, RPC errors) go to the same registry.
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(metrics))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(options.setMetricsScope(scope).build());
    try {
      connect(service, target, CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      service.shutdownNow();
      if (embedded != null) {
        embedded.close();
      }
      throw new IllegalStateException(
          "cannot reach Temporal at "
              + target
              + " within "
              + CONNECT_TIMEOUT.toSeconds()
              + " s: "
              + e.getMessage(),
          e);
    }
    return new TemporalConnection(embedded, service, namespace, converter);
  }

  /**
   * Connects {@code service} within {@code timeout}, trying again while Temporal refuses
   * connections or does not answer (a Temporal still starting, restarting or stalled): the SDK's
   * own connect gives up after one health-check attempt, about 5 s, whatever timeout it is given.
   */
  static void connect(WorkflowServiceStubs service, String target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    StatusRuntimeException last = null;
    while (true) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (last != null && left.compareTo(RETRY_PAUSE) < 0) {
        throw last;
      }
      try {
        service.connect(left);
        return;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw e;
        }
        if (last == null) {
          log.warn(
              "Temporal at {} is not reachable yet ({}); trying again for up to {} s",
              target,
              code,
              timeout.toSeconds());
        }
        last = e;
      }
      sleep(RETRY_PAUSE);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to Temporal", e);
    }
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public WorkflowClient client() {
    return client;
  }

  public String namespace() {
    return namespace;
  }

  /** host:port of the Temporal frontend that caller workers should use. */
  public String target() {
    return embedded == null ? service.getOptions().getTarget() : embedded.target();
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    service.shutdownNow();
    service.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    if (embedded != null) {
      embedded.close();
    }
  }
}
