package dev.baton.agent.external;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentSettings;
import dev.baton.execution.OnCallerGone;
import dev.baton.execution.TaskQueues;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExternalRunnerTest {
  private final ExternalRunner runner = new ExternalRunner();

  @Test
  void externalAgentDefaultsToItsOwnTaskQueue() {
    AgentDefinition agent = agent("reviewer", settings());

    runner.validate(agent);

    assertThat(TaskQueues.forAgent(agent)).isEqualTo("baton-agent-reviewer");
  }

  @Test
  void externalAgentUsesConfiguredTaskQueue() {
    AgentDefinition agent = agent("reviewer", settings().put("taskQueue", "python-agents"));

    runner.validate(agent);

    assertThat(TaskQueues.forAgent(agent)).isEqualTo("python-agents");
  }

  @Test
  void builtInRunnersKeepBatonsAgentQueue() {
    AgentDefinition agent =
        new AgentDefinition(
            "shout", "", "command", settings(), Duration.ofMinutes(1), OnCallerGone.CANCEL);

    assertThat(TaskQueues.forAgent(agent)).isEqualTo(TaskQueues.AGENTS);
  }

  @Test
  void rejectsBatonsOwnQueues() {
    assertThatThrownBy(
            () -> runner.validate(agent("x", settings().put("taskQueue", TaskQueues.AGENTS))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Baton's own queue");
  }

  @Test
  void rejectsUnknownSettingsAndBadQueueNames() {
    assertThatThrownBy(() -> runner.validate(agent("x", settings().put("command", "ls"))))
        .hasMessageContaining("settings.command is not a setting of the external runner");
    assertThatThrownBy(() -> runner.validate(agent("x", settings().put("taskQueue", "a b"))))
        .hasMessageContaining("settings.taskQueue must be a task queue name");
    assertThatThrownBy(() -> runner.validate(agent("x", settings().put("taskQueue", 3))))
        .hasMessageContaining("settings.taskQueue must be a task queue name");
  }

  private static ObjectNode settings() {
    return JsonNodeFactory.instance.objectNode().put(AgentSettings.BASE_DIRECTORY, "/tmp");
  }

  private static AgentDefinition agent(String name, ObjectNode settings) {
    return new AgentDefinition(
        name, "", ExternalRunner.TYPE, settings, Duration.ofMinutes(1), OnCallerGone.CANCEL);
  }
}
