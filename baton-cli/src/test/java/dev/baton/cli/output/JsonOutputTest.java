package dev.baton.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.AgentExecution;
import dev.baton.api.v1.ExecutionSpec;
import dev.baton.api.v1.ExecutionStatus;
import org.junit.jupiter.api.Test;

class JsonOutputTest {

  @Test
  void printsCharactersAsTheyAreNotHtmlEscaped() {
    AgentExecution execution =
        AgentExecution.newBuilder()
            .setSpec(ExecutionSpec.newBuilder().setMessage("a=b <x> & 'q' \"z\"\n"))
            .build();

    assertThat(JsonOutput.pretty(execution))
        .contains("\"message\": \"a=b <x> & 'q' \\\"z\\\"\\n\"")
        .doesNotContain("\\u003d", "\\u003c", "\\u0026", "\\u0027");
    assertThat(JsonOutput.line(execution))
        .isEqualTo("{\"spec\":{\"message\":\"a=b <x> & 'q' \\\"z\\\"\\n\"}}");
  }

  @Test
  void printsWholeStructNumbersAsIntegers() {
    AgentExecution execution = withStructuredOutput(structured());

    assertThat(JsonOutput.line(execution))
        .isEqualTo(
            "{\"status\":{\"structuredOutput\":{\"n\":1,\"zero\":0,\"negative\":-3,"
                + "\"fraction\":1.5,\"big\":9007199254740992,\"huge\":1.0E20,"
                + "\"list\":[2,2.25],\"nested\":{\"m\":42},\"none\":null,\"text\":\"1.0\"}}}");
  }

  @Test
  void printsWhatProtobufReadsBackAsTheSameMessage() throws Exception {
    AgentExecution execution = withStructuredOutput(structured());

    AgentExecution.Builder pretty = AgentExecution.newBuilder();
    JsonFormat.parser().merge(JsonOutput.pretty(execution), pretty);
    AgentExecution.Builder line = AgentExecution.newBuilder();
    JsonFormat.parser().merge(JsonOutput.line(execution), line);

    assertThat(pretty.build()).isEqualTo(execution);
    assertThat(line.build()).isEqualTo(execution);
  }

  private static Struct structured() {
    return Struct.newBuilder()
        .putFields("n", number(1))
        .putFields("zero", number(0))
        .putFields("negative", number(-3))
        .putFields("fraction", number(1.5))
        .putFields("big", number(9007199254740992.0))
        .putFields("huge", number(1e20))
        .putFields(
            "list",
            Value.newBuilder()
                .setListValue(ListValue.newBuilder().addValues(number(2)).addValues(number(2.25)))
                .build())
        .putFields(
            "nested",
            Value.newBuilder()
                .setStructValue(Struct.newBuilder().putFields("m", number(42)))
                .build())
        .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
        .putFields("text", Value.newBuilder().setStringValue("1.0").build())
        .build();
  }

  private static AgentExecution withStructuredOutput(Struct structured) {
    return AgentExecution.newBuilder()
        .setStatus(ExecutionStatus.newBuilder().setStructuredOutput(structured))
        .build();
  }

  private static Value number(double value) {
    return Value.newBuilder().setNumberValue(value).build();
  }
}
