package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON that Temporal's default converter writes for the agent-runner activity: the contract
 * external runners read (docs/guides/external-runners.md shows exactly these shapes).
 */
class AgentInvocationJsonTest {
  private static final DataConverter converter = DefaultDataConverter.STANDARD_INSTANCE;
  private static final ObjectMapper json = new ObjectMapper();

  @Test
  void invocationIsWrittenWithItsFieldNamesAndTimeoutInSeconds() throws Exception {
    AgentInvocation invocation =
        new AgentInvocation(
            "01J9Z8Q3V6M4X2",
            "reviewer",
            "Review this diff",
            Duration.ofMinutes(10),
            "baton-agent-reviewer",
            List.of(new AgentInvocation.Turn("01J9Z8", "Hello", "Hi there")));

    Payload payload = converter.toPayload(invocation).orElseThrow();
    JsonNode written = json.readTree(payload.getData().toByteArray());

    assertThat(payload.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");
    assertThat(written)
        .isEqualTo(
            json.readTree(
                """
                {"executionId":"01J9Z8Q3V6M4X2","agent":"reviewer","message":"Review this diff",
                 "timeout":600.0,"taskQueue":"baton-agent-reviewer",
                 "history":[{"executionId":"01J9Z8","message":"Hello","output":"Hi there"}]}
                """));
  }

  @Test
  void outputIsReadFromTheDocumentedJsonAndToleratesUnknownFields() throws Exception {
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(
                com.google.protobuf.ByteString.copyFromUtf8(
                    "{\"output\":\"done\",\"structuredOutput\":\"{\\\"score\\\":3}\","
                        + "\"extra\":1}"))
            .build();

    AgentOutput output = converter.fromPayload(payload, AgentOutput.class, AgentOutput.class);

    assertThat(output).isEqualTo(new AgentOutput("done", "{\"score\":3}"));
  }

  @Test
  void invocationWithoutNewerFieldsStillReads() throws Exception {
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(
                com.google.protobuf.ByteString.copyFromUtf8(
                    "{\"executionId\":\"e\",\"agent\":\"a\",\"message\":\"m\","
                        + "\"timeout\":\"PT30S\"}"))
            .build();

    AgentInvocation invocation =
        converter.fromPayload(payload, AgentInvocation.class, AgentInvocation.class);

    assertThat(invocation.taskQueue()).isEqualTo("baton-agents");
    assertThat(invocation.history()).isEmpty();
    assertThat(invocation.timeout()).isEqualTo(Duration.ofSeconds(30));
  }
}
