package dev.baton.store.internal;

import dev.baton.execution.ExecutionEvent;
import dev.baton.store.Dialect;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The SQL of the {@code execution_events} table for one dialect. Callers own the transactions;
 * every method runs on the handle it is given.
 */
public final class EventTable {
  private final Dialect dialect;

  public EventTable(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Whether the execution exists; on PostgreSQL its row stays locked until the transaction ends, so
   * that appenders in several processes number their events one after the other.
   */
  public boolean lockExecution(Handle handle, String executionId) {
    // SQLite needs no row lock: its transactions begin IMMEDIATE and so hold the write lock.
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    return handle
        .createQuery("SELECT id FROM executions WHERE id = :id" + lock)
        .bind("id", executionId)
        .mapTo(String.class)
        .findOne()
        .isPresent();
  }

  /** The number of the last stored event, 0 when there is none. */
  public long lastSequence(Handle handle, String executionId) {
    return handle
        .createQuery("SELECT COALESCE(MAX(seq), 0) FROM execution_events WHERE execution_id = :id")
        .bind("id", executionId)
        .mapTo(Long.class)
        .one();
  }

  /**
   * Inserts the events numbered after {@code lastSequence}; returns them as stored: with their
   * numbers, and each NUL in their text and data as U+FFFD (see {@link StoredText}).
   */
  public List<ExecutionEvent> insert(
      Handle handle, String executionId, long lastSequence, List<ExecutionEvent> events) {
    List<ExecutionEvent> stored = new ArrayList<>(events.size());
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO execution_events (execution_id, seq, time, type, text, data)"
                + " VALUES (:id, :seq, :time, :type, :text, :data)");
    long sequence = lastSequence;
    for (ExecutionEvent event : events) {
      ExecutionEvent numbered =
          new ExecutionEvent(
              ++sequence,
              event.time(),
              event.type(),
              StoredText.of(event.text()),
              StoredText.of(event.data()));
      stored.add(numbered);
      batch
          .bind("id", executionId)
          .bind("seq", numbered.sequence())
          .bind("time", numbered.time().toString())
          .bind("type", numbered.type().name())
          .bind("text", numbered.text())
          .bind("data", numbered.data())
          .add();
    }
    batch.execute();
    return stored;
  }

  /** The events after {@code afterSequence}, oldest first. */
  public List<ExecutionEvent> since(
      Handle handle, String executionId, long afterSequence, int limit) {
    return handle
        .createQuery(
            "SELECT seq, time, type, text, data FROM execution_events"
                + " WHERE execution_id = :id AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("id", executionId)
        .bind("after", afterSequence)
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new ExecutionEvent(
                    rs.getLong("seq"),
                    Instant.parse(rs.getString("time")),
                    ExecutionEvent.Type.valueOf(rs.getString("type")),
                    rs.getString("text"),
                    rs.getString("data")))
        .list();
  }
}
