package dev.baton.callback;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * What a caller's activity returns when its agent completed: the agent's real answer.
 *
 * <p>Delivered as JSON (Temporal's default Jackson converter), so callers in any Temporal SDK can
 * read it: {@code {"executionId": "...", "agent": "...", "phase": "COMPLETED", "output": "...",
 * "structuredOutput": {...} | null, "startTime": "2026-...Z", "endTime": "...", "durationMillis":
 * 1234, "truncated": false}}. New fields may be added; readers must ignore unknown ones.
 *
 * @param output the agent's final text; cut to the server's limit when {@code truncated}, the full
 *     text stays readable through the API's Get
 * @param structuredOutput a JSON object the agent produced, or {@code null}
 * @param durationMillis the agent's run time, from start to end
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentResult(
    String executionId,
    String agent,
    String phase,
    String output,
    JsonNode structuredOutput,
    Instant startTime,
    Instant endTime,
    long durationMillis,
    boolean truncated) {}
