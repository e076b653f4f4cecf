package dev.baton.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.ByteString;
import dev.baton.api.v1.CallerIdentity;
import dev.baton.api.v1.CreateExecutionRequest;
import dev.baton.api.v1.ExecutionSpec;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules and the dashboard only use metrics a real server exports: after successful,
 * failed and undeliverable executions, every {@code baton_*} name in their queries is on {@code
 * /metrics}.
 */
class MetricsExportTest {
  private static final Path ALERTS = Path.of("..", "deploy", "prometheus", "baton-alerts.yml");
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "baton-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("baton_[a-z_]+");
  private static final Pattern HISTOGRAM_SERIES = Pattern.compile("(.+)_(bucket|count|sum)");

  @TempDir static Path home;
  static TestBaton baton;
  static HttpClient http;

  @BeforeAll
  static void startAndRunExecutions() {
    baton = TestBaton.start(home);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // a delivered success, a delivered failure, and a callback Temporal rejects
    baton.caller("metrics-success").call(List.of(AgentCall.of("shout", "count me")), 0);
    assertThat(
            catchThrowable(
                () -> baton.caller("metrics-failure").call(List.of(AgentCall.of("fail", "x")), 0)))
        .isInstanceOf(WorkflowFailedException.class);
    baton.api.create(
        CreateExecutionRequest.newBuilder()
            .setSpec(
                ExecutionSpec.newBuilder()
                    .setAgent("shout")
                    .setMessage("undeliverable")
                    .setCallbackToken(ByteString.copyFromUtf8("not-a-task-token"))
                    .setCaller(
                        CallerIdentity.newBuilder()
                            .setNamespace("default")
                            .setWorkflowId("metrics-garbage-token")
                            .setRunId("run")
                            .setActivityId("1")
                            .setAttempt(1)))
            .build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                exportedSeries(scrape())
                    .containsAll(
                        Set.of(
                            "baton_callback_errors_total",
                            "baton_handshake_latency_seconds_bucket",
                            "baton_relay_heartbeats_total")));
  }

  @AfterAll
  static void stop() {
    baton.close();
  }

  @Test
  void exportsEveryMetricTheAlertRulesUse() throws IOException {
    JsonNode rules = new YAMLMapper().readTree(ALERTS.toFile());
    StringBuilder queries = new StringBuilder();
    rules.path("groups").forEach(g -> g.path("rules").forEach(r -> queries.append(exprOf(r))));

    Set<String> used = metricNames(queries.toString());

    assertThat(used).contains("baton_pending_callbacks", "baton_callback_deliveries_total");
    assertExported(used, ALERTS);
  }

  @Test
  void exportsEveryMetricTheDashboardUses() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    String queries =
        dashboard.findValues("expr").stream().map(JsonNode::asText).collect(Collectors.joining());

    Set<String> used = metricNames(queries);

    assertThat(used)
        .contains(
            "baton_callback_delivery_duration_seconds_bucket",
            "baton_handshake_latency_seconds_bucket",
            "baton_agent_execution_duration_seconds_bucket",
            "baton_executions_in_progress");
    assertExported(used, DASHBOARD);
  }

  @Test
  void histogramsExportAFewBucketsFromMillisecondsToHours() {
    String scrape = scrape();

    Map<String, List<String>> delivery =
        bucketsBySeries(scrape, "baton_callback_delivery_duration_seconds");
    Map<String, List<String>> handshake =
        bucketsBySeries(scrape, "baton_handshake_latency_seconds");
    Map<String, List<String>> agents =
        bucketsBySeries(scrape, "baton_agent_execution_duration_seconds");

    assertThat(agents.keySet()).hasSizeGreaterThanOrEqualTo(2); // shout and fail
    for (Map<String, List<String>> histogram : List.of(delivery, handshake, agents)) {
      assertThat(histogram).isNotEmpty();
      histogram.forEach(
          (series, bounds) ->
              assertThat(bounds).as(series).hasSizeBetween(10, 25).contains("+Inf"));
    }
    // BatonCallbackDeliverySlow's threshold is a bucket boundary, so its p99 is not interpolated
    assertThat(delivery.values()).allSatisfy(bounds -> assertThat(bounds).contains("0.5"));
    // agents run for hours: a p95 over 30 s must not be stuck at the last finite bucket
    assertThat(agents.values())
        .allSatisfy(bounds -> assertThat(bounds).contains("0.1", "3600.0", "604800.0"));
    assertThat(handshake.values())
        .allSatisfy(bounds -> assertThat(bounds).contains("0.001", "86400.0"));
  }

  @Test
  void healthAndReadinessAnswerOk() {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
  }

  private static void assertExported(Set<String> used, Path source) {
    String scrape = scrape();
    Set<String> exported = exportedSeries(scrape);
    for (String name : used) {
      assertThat(exported)
          .as("%s uses %s; the server exports %s", source, name, exported)
          .contains(name);
      Matcher histogram = HISTOGRAM_SERIES.matcher(name);
      if (histogram.matches()) {
        assertThat(scrape)
            .as("%s uses %s as a histogram series", source, name)
            .contains("# TYPE " + histogram.group(1) + " histogram");
      }
    }
  }

  private static String exprOf(JsonNode rule) {
    return rule.path("expr").asText() + "\n";
  }

  private static Set<String> metricNames(String queries) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(queries);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  /** The {@code le} bounds of each series (its labels but {@code le}) of one histogram. */
  private static Map<String, List<String>> bucketsBySeries(String scrape, String histogram) {
    Pattern bucket = Pattern.compile(histogram + "_bucket\\{(.*)le=\"([^\"]+)\"(.*)} .*");
    Map<String, List<String>> bounds = new TreeMap<>();
    scrape
        .lines()
        .map(bucket::matcher)
        .filter(Matcher::matches)
        .forEach(
            m ->
                bounds
                    .computeIfAbsent(m.group(1) + m.group(3), series -> new ArrayList<>())
                    .add(m.group(2)));
    return bounds;
  }

  /** Names of the {@code baton_*} samples in a Prometheus text exposition. */
  private static Set<String> exportedSeries(String scrape) {
    return scrape
        .lines()
        .filter(line -> line.startsWith("baton_"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String scrape() {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> get(String path) {
    URI uri = URI.create("http://127.0.0.1:" + baton.server.metricsPort() + path);
    try {
      return http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + uri, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + uri, e);
    }
  }
}
