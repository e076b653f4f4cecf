package dev.baton.agent.llm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.agent.AgentDefinition;
import dev.baton.agent.AgentFailedException;
import dev.baton.agent.AgentInvocation;
import dev.baton.agent.AgentOutput;
import dev.baton.execution.ExecutionError;
import dev.baton.execution.ExecutionEvent;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an LLM agent: the tool-call loop. Each step sends the conversation so far; an answer
 * with tool calls has each tool run and its result appended, an answer without is the output.
 */
final class LlmRun {
  private static final Logger log = LoggerFactory.getLogger(LlmRun.class);

  private final AgentDefinition agent;
  private final AgentInvocation invocation;
  private final LlmSettings settings;
  private final Heartbeats heartbeats;
  private final ModelCaller model;
  private final ToolProcess tools;
  private final Map<String, CommandTool> toolsByName = new LinkedHashMap<>();
  private long inputTokens;
  private long outputTokens;
  private long totalTokens;
  private int toolCalls;

  LlmRun(
      AgentDefinition agent,
      AgentInvocation invocation,
      LlmSettings settings,
      Heartbeats heartbeats,
      ModelCaller model,
      ToolProcess tools) {
    this.agent = agent;
    this.invocation = invocation;
    this.settings = settings;
    this.heartbeats = heartbeats;
    this.model = model;
    this.tools = tools;
    settings.tools().forEach(tool -> toolsByName.put(tool.name(), tool));
  }

  AgentOutput run() {
    List<ChatMessage> messages = new ArrayList<>();
    if (settings.instructions() != null && !settings.instructions().isBlank()) {
      messages.add(SystemMessage.from(settings.instructions()));
    }
    // A continued conversation: the earlier turns as the user and assistant messages they were.
    for (AgentInvocation.Turn turn : invocation.history()) {
      messages.add(UserMessage.from(turn.message()));
      messages.add(AiMessage.from(turn.output()));
    }
    messages.add(UserMessage.from(invocation.message() == null ? "" : invocation.message()));
    List<ToolSpecification> specifications =
        settings.tools().stream().map(CommandTool::specification).toList();
    for (int step = 1; step <= settings.maxSteps(); step++) {
      String label = "step " + step + "/" + settings.maxSteps();
      heartbeats.beat(label + ": asking " + settings.model());
      ChatRequest request =
          ChatRequest.builder()
              .messages(List.copyOf(messages))
              .toolSpecifications(specifications.isEmpty() ? null : specifications)
              .build();
      ChatResponse response = model.call(request, label);
      count(response.tokenUsage());
      AiMessage answer = response.aiMessage();
      messages.add(answer);
      if (!answer.hasToolExecutionRequests()) {
        log.debug("Agent '{}' answered after {} step(s)", agent.name(), step);
        return new AgentOutput(answer.text() == null ? "" : answer.text(), result(step));
      }
      for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
        messages.add(runTool(call, label));
      }
    }
    throw new AgentFailedException(
        ExecutionError.AGENT_FAILED,
        "agent '"
            + agent.name()
            + "' stopped after "
            + settings.maxSteps()
            + " steps without a final answer (the model kept calling tools); raise"
            + " settings.maxSteps or tell it in settings.instructions when to stop");
  }

  private ToolExecutionResultMessage runTool(ToolExecutionRequest call, String label) {
    toolCalls++;
    heartbeats.event(ExecutionEvent.Type.TOOL_CALL_STARTED, call.name(), call.arguments());
    CommandTool tool = toolsByName.get(call.name());
    ToolProcess.Result result =
        tool == null
            ? new ToolProcess.Result(
                "there is no tool named '"
                    + call.name()
                    + "'; the tools are: "
                    + String.join(", ", toolsByName.keySet()),
                true)
            : tools.run(tool, call.arguments(), label);
    heartbeats.event(
        ExecutionEvent.Type.TOOL_CALL_ENDED,
        call.name() + (result.error() ? " failed: " + result.text() : " ok"),
        null);
    log.debug(
        "Agent '{}' called tool '{}'{}",
        agent.name(),
        call.name(),
        result.error() ? ": " + result.text() : "");
    return ToolExecutionResultMessage.builder()
        .id(call.id())
        .toolName(call.name())
        .text(result.error() ? "ERROR: " + result.text() : result.text())
        .isError(result.error() ? Boolean.TRUE : null)
        .build();
  }

  private void count(TokenUsage usage) {
    if (usage == null) {
      return;
    }
    int in = usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    int out = usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    inputTokens += in;
    outputTokens += out;
    totalTokens += usage.totalTokenCount() == null ? in + out : usage.totalTokenCount();
  }

  /** {"provider":..,"model":..,"steps":n,"toolCalls":n,"usage":{..}} */
  private String result(int steps) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("provider", settings.provider().id());
    json.put("model", settings.model());
    json.put("steps", steps);
    json.put("toolCalls", toolCalls);
    ObjectNode usage = json.putObject("usage");
    usage.put("inputTokens", inputTokens);
    usage.put("outputTokens", outputTokens);
    usage.put("totalTokens", totalTokens);
    return json.toString();
  }
}
