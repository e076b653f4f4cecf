package dev.baton.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.agent.AgentActivities;
import dev.baton.callback.AgentResult;
import dev.baton.caller.AgentCallActivities;
import dev.baton.cli.docs.MarkdownDoc.Command;
import dev.baton.execution.CallbackWorkflow;
import dev.baton.execution.ExecutionIds;
import dev.baton.execution.ExecutionWorkflow;
import dev.baton.execution.TaskQueues;
import dev.baton.server.ServerConfig;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Temporal CLI commands of the runbook and the developer guide (the Temporal CLI cannot run in
 * CI) name what Baton really registers: workflow id prefixes, task queues, workflow and activity
 * type names, the default namespace and address, and the fields of the result a caller reads. The
 * expected values come from the code, so a rename there fails here.
 */
class TemporalCommandsInDocsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z][a-z -]*>");
  private static final Pattern WORKFLOW_TYPE = Pattern.compile("WorkflowType=\"([^\"]*)\"");

  /**
   * The Temporal CLI's commands used in the docs and their flags (from docs.temporal.io/cli): an
   * external contract, so listed here.
   */
  private static final Map<String, Set<String>> CLI_FLAGS =
      Map.of(
          "workflow describe", Set.of("--workflow-id", "--run-id", "--raw", "--reset-points"),
          "workflow show", Set.of("--workflow-id", "--run-id", "--follow", "--detailed"),
          "workflow list", Set.of("--query", "--limit", "--archived"),
          "activity complete",
              Set.of("--workflow-id", "--run-id", "--activity-id", "--result", "--identity"),
          "activity fail",
              Set.of(
                  "--workflow-id",
                  "--run-id",
                  "--activity-id",
                  "--reason",
                  "--detail",
                  "--identity"),
          "task-queue describe", Set.of("--task-queue", "--task-queue-type"));

  private static final Set<String> GLOBAL_FLAGS =
      Set.of("--address", "--namespace", "--output", "--api-key", "--tls");

  @Test
  void everyTemporalCommandNamesRealIdentifiers() {
    List<Command> commands = temporalCommands();
    List<String> problems = new ArrayList<>();
    for (Command command : commands) {
      problems.addAll(problems(command));
    }

    assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
    assertThat(problems).as("problems of the docs' temporal commands").isEmpty();
  }

  @Test
  void theRunbookNamesTheActivityTypesOperatorsSee() {
    String runbook = MarkdownDoc.RUNBOOK.text();

    assertThat(activityTypes())
        .isNotEmpty()
        .allSatisfy(type -> assertThat(runbook).contains("`" + type + "`"));
  }

  private static List<Command> temporalCommands() {
    return Stream.of(MarkdownDoc.RUNBOOK, MarkdownDoc.DEVELOPER_GUIDE)
        .flatMap(doc -> doc.commands().stream())
        .filter(command -> command.program().equals("temporal"))
        .toList();
  }

  private static List<String> problems(Command command) {
    List<String> problems = new ArrayList<>();
    List<String> words = command.words();
    String subcommand = words.size() < 3 ? "" : words.get(1) + " " + words.get(2);
    Set<String> flags = CLI_FLAGS.get(subcommand);
    if (flags == null) {
      return List.of(command + ": not one of the Temporal CLI commands " + CLI_FLAGS.keySet());
    }
    for (int i = 3; i < words.size(); i++) {
      String flag = words.get(i);
      if (!flags.contains(flag) && !GLOBAL_FLAGS.contains(flag)) {
        problems.add(command + ": temporal " + subcommand + " has no flag " + flag);
        continue;
      }
      String value = i + 1 < words.size() ? words.get(++i) : "";
      String problem = valueProblem(flag, value);
      if (problem != null) {
        problems.add(command + ": " + flag + " " + value + ": " + problem);
      }
    }
    return problems;
  }

  /** Why {@code value} is not right for {@code flag}, or null. */
  private static String valueProblem(String flag, String value) {
    if (PLACEHOLDER.matcher(value).matches()) {
      return null;
    }
    return switch (flag) {
      case "--workflow-id" -> workflowIdProblem(value);
      case "--task-queue" ->
          Set.of(TaskQueues.EXECUTIONS, TaskQueues.AGENTS).contains(value)
                  || value.startsWith(TaskQueues.EXTERNAL_AGENT_PREFIX)
              ? null
              : "Baton's task queues are "
                  + TaskQueues.EXECUTIONS
                  + ", "
                  + TaskQueues.AGENTS
                  + " and "
                  + TaskQueues.EXTERNAL_AGENT_PREFIX
                  + "<agent>";
      case "--namespace" ->
          value.equals(ServerConfig.DEFAULT_NAMESPACE)
              ? null
              : "expected a <placeholder> or " + ServerConfig.DEFAULT_NAMESPACE;
      case "--address" ->
          value.equals(
                  ServerConfig.DEFAULT_HOST + ":" + ServerConfig.DEFAULT_EMBEDDED_TEMPORAL_PORT)
              ? null
              : "expected a <placeholder> or the embedded Temporal's address";
      case "--query" -> queryProblem(value);
      case "--result" -> resultProblem(value);
      default -> null;
    };
  }

  private static String workflowIdProblem(String value) {
    String executionPrefix = ExecutionIds.workflowId("");
    String callbackPrefix = ExecutionIds.callbackWorkflowId("", "").replaceAll("/+$", "/");
    for (String prefix : List.of(executionPrefix, callbackPrefix)) {
      if (value.startsWith(prefix)
          && Arrays.stream(value.substring(prefix.length()).split("/"))
              .allMatch(part -> PLACEHOLDER.matcher(part).matches())) {
        return null;
      }
    }
    return "expected <caller ...>, " + executionPrefix + "<id> or " + callbackPrefix + "<id>/...";
  }

  private static String queryProblem(String query) {
    Matcher types = WORKFLOW_TYPE.matcher(query);
    Set<String> registered = workflowTypes();
    while (types.find()) {
      if (!registered.contains(types.group(1))) {
        return "Baton's workflow types are " + registered;
      }
    }
    return null;
  }

  private static String resultProblem(String json) {
    Set<String> fields =
        Arrays.stream(AgentResult.class.getRecordComponents())
            .map(component -> component.getName())
            .collect(Collectors.toSet());
    try {
      JsonNode result = JSON.readTree(json);
      List<String> unknown = new ArrayList<>();
      result.fieldNames().forEachRemaining(name -> unknown.add(name));
      unknown.removeAll(fields);
      return unknown.isEmpty() ? null : "AgentResult has no fields " + unknown;
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + json, e);
    }
  }

  private static Set<String> workflowTypes() {
    return Stream.of(ExecutionWorkflow.class, CallbackWorkflow.class)
        .map(
            type ->
                POJOWorkflowInterfaceMetadata.newInstance(type)
                    .getWorkflowMethod()
                    .orElseThrow()
                    .getName())
        .collect(Collectors.toSet());
  }

  private static Set<String> activityTypes() {
    return Stream.of(AgentActivities.class, AgentCallActivities.class)
        .flatMap(
            type -> POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata().stream())
        .map(POJOActivityMethodMetadata::getActivityTypeName)
        .collect(Collectors.toSet());
  }
}
