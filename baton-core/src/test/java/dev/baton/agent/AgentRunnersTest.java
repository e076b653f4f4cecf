package dev.baton.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AgentRunnersTest {

  @Test
  void findsRunnersByType() {
    AgentRunner echo = new EchoRunner("echo");
    AgentRunners runners = AgentRunners.of(new EchoRunner("other"), echo);

    assertThat(runners.get("echo")).isSameAs(echo);
    assertThat(runners.find("missing")).isEmpty();
    assertThat(runners.types()).containsExactly("echo", "other");
  }

  @Test
  void rejectsTwoRunnersOfOneType() {
    assertThatThrownBy(
            () -> new AgentRunners(List.of(new EchoRunner("echo"), new EchoRunner("echo"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two agent runners have type 'echo'");
  }

  @Test
  void unknownTypeErrorListsKnownTypes() {
    AgentRunners runners = AgentRunners.of(new EchoRunner("echo"), new EchoRunner("command"));

    assertThatThrownBy(() -> runners.get("http"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no agent runner of type 'http'; known types: command, echo");
  }

  /** Answers with the message; accepts any settings. */
  record EchoRunner(String type) implements AgentRunner {
    @Override
    public void validate(AgentDefinition agent) {}

    @Override
    public AgentOutput run(AgentDefinition agent, AgentInvocation invocation, RunContext context) {
      return AgentOutput.text(invocation.message());
    }
  }
}
