package dev.baton.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * Something an agent did while it ran: a chunk of its answer, a tool call, a log line. Events of
 * one execution are numbered from 1 in the order they were stored; they are progress to show, not
 * part of the execution's status.
 *
 * @param sequence the event's number within its execution; 0 for an event not stored yet (the store
 *     assigns the number)
 * @param text what to show (a log line, a chunk of text, a tool's name), never {@code null}
 * @param data optional JSON with details (e.g. a tool call's arguments), or {@code null}
 */
public record ExecutionEvent(long sequence, Instant time, Type type, String text, String data) {

  /** What kind of thing happened. */
  public enum Type {
    /** A piece of the model's answer as it streams in; consecutive chunks may be merged. */
    MESSAGE_CHUNK,
    /** The agent called a tool; text is the tool's name. */
    TOOL_CALL_STARTED,
    /** A tool call returned; text is the tool's name and how it ended. */
    TOOL_CALL_ENDED,
    /** A line the agent logged (a command agent's stderr). */
    LOG_LINE,
    /**
     * Events were dropped because the agent emitted more than the caps allow; text says how many.
     */
    EVENTS_DROPPED,
    /** An operator acted on the execution (e.g. completed its caller by hand); text says what. */
    OPERATOR_ACTION
  }

  public ExecutionEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
  }

  /** An event not stored yet. */
  public static ExecutionEvent of(Instant time, Type type, String text, String data) {
    return new ExecutionEvent(0, time, type, text, data);
  }

  /** This event with the number the store gave it. */
  public ExecutionEvent withSequence(long value) {
    return new ExecutionEvent(value, time, type, text, data);
  }
}
