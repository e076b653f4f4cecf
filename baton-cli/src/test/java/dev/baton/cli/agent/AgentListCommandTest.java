package dev.baton.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import dev.baton.api.v1.Agent;
import dev.baton.api.v1.ListAgentsResponse;
import dev.baton.api.v1.OnCallerGone;
import dev.baton.cli.Cli;
import dev.baton.cli.CliResult;
import dev.baton.cli.ExitCodes;
import dev.baton.cli.FakeBatonServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentListCommandTest {

  private static final Agent ECHO =
      Agent.newBuilder()
          .setName("echo")
          .setRunner("command")
          .setTimeout(Durations.fromMinutes(5))
          .setDescription("Repeats the message.")
          .build();
  private static final Agent RESEARCHER =
      Agent.newBuilder()
          .setName("researcher")
          .setRunner("langchain4j")
          .setTimeout(Durations.fromSeconds(5400))
          .setDescription("Searches the web\nand writes a report.")
          .build();

  private final FakeBatonServer server = FakeBatonServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void printsAlignedTable() {
    server.agents().add(ECHO, RESEARCHER);

    CliResult result = Cli.run("agent", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            String.join(
                "\n",
                "NAME        RUNNER       TIMEOUT  DESCRIPTION",
                "echo        command      5m       Repeats the message.",
                "researcher  langchain4j  1h30m    Searches the web and writes a report.",
                ""));
  }

  @Test
  void printsProtobufJson() throws Exception {
    server.agents().add(ECHO, RESEARCHER);

    CliResult result = Cli.run("agent", "list", "-o", "json", "--address", server.address());

    ListAgentsResponse.Builder parsed = ListAgentsResponse.newBuilder();
    JsonFormat.parser().merge(result.out(), parsed);
    assertThat(parsed.build())
        .isEqualTo(ListAgentsResponse.newBuilder().addAgents(ECHO).addAgents(RESEARCHER).build());
    assertThat(result.out()).contains("\"timeout\": \"300s\"");
  }

  @Test
  void getShowsOneAgentAsItsFileSaysIt() {
    server
        .agents()
        .add(
            ECHO.toBuilder()
                .setOnCallerGone(OnCallerGone.ON_CALLER_GONE_CONTINUE)
                .setMaxConcurrent(2)
                .build());

    CliResult result = Cli.run("agent", "get", "echo", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out())
        .isEqualTo(
            String.join(
                "\n",
                "Name:            echo",
                "Runner:          command",
                "Timeout:         5m",
                "On caller gone:  continue",
                "Max concurrent:  2",
                "Description:     Repeats the message.",
                ""));
  }

  @Test
  void getPrintsJsonWithAZeroLimitAndAnUnknownAgentIsNotFound() throws Exception {
    server.agents().add(ECHO);

    CliResult json = Cli.run("agent", "get", "echo", "-o", "json", "--address", server.address());
    CliResult missing = Cli.run("agent", "get", "nope", "--address", server.address());

    Agent.Builder parsed = Agent.newBuilder();
    JsonFormat.parser().merge(json.out(), parsed);
    assertThat(parsed.build()).isEqualTo(ECHO);
    assertThat(json.out()).contains("\"maxConcurrent\": 0");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).contains("no agent named nope");
  }

  @Test
  void saysSoWhenThereAreNoAgents() {
    CliResult result = Cli.run("agent", "list", "--address", server.address());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(result.out()).isEqualTo("No agents.\n");
  }
}
