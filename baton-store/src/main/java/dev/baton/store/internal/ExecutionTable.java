package dev.baton.store.internal;

import dev.baton.execution.CallbackState;
import dev.baton.execution.Execution;
import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.ExecutionQuery;
import dev.baton.store.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * The SQL of the {@code executions} and {@code execution_changes} tables for one dialect. Callers
 * own the transactions; every method runs on the handle it is given.
 */
public final class ExecutionTable {
  private static final String COLUMNS = "id, created_at, labels, sequence, spec, status";

  /** First key of Baton's advisory locks, so they cannot collide with another application's. */
  private static final int AGENT_LOCK_SPACE = 0x4241544f;

  private final Dialect dialect;
  private final ExecutionJson json;

  public ExecutionTable(Dialect dialect, ExecutionJson json) {
    this.dialect = dialect;
    this.json = json;
  }

  /**
   * Inserts {@code stored} unless another execution holds {@code idempotencyKey}, and keeps its
   * first status as a change for Watch.
   *
   * @param storedToken the callback token as stored (encrypted), or {@code null}
   * @return false when another execution holds the key, and nothing was inserted (the unique
   *     constraint decides, so this is atomic under concurrent inserts)
   */
  public boolean insert(
      Handle handle, Execution stored, String idempotencyKey, byte[] storedToken) {
    String sql =
        "INSERT INTO executions (id, created_at, agent, phase, sequence, idempotency_key, labels,"
            + " spec, status, callback_token, callback_state) VALUES (:id, :createdAt, :agent,"
            + " :phase, :sequence, :idempotencyKey, "
            + jsonParameter("labels")
            + ", "
            + jsonParameter("spec")
            + ", "
            + jsonParameter("status")
            + ", :token, :callbackState) ON CONFLICT (idempotency_key) DO NOTHING";
    String status = json.write(stored.status());
    boolean inserted =
        handle
                .createUpdate(sql)
                .bind("id", stored.id())
                .bind("createdAt", stored.createTime().toString())
                .bind("agent", stored.spec().agent())
                .bind("phase", stored.phase().name())
                .bind("sequence", stored.sequence())
                .bind("idempotencyKey", idempotencyKey)
                .bind("labels", json.write(stored.labels()))
                .bind("spec", json.write(stored.spec()))
                .bind("status", status)
                .bindByType("token", storedToken, byte[].class)
                .bind("callbackState", stored.status().callback().state().name())
                .execute()
            == 1;
    if (inserted) {
      keepChange(handle, stored.id(), stored.sequence(), status);
    }
    return inserted;
  }

  public Optional<Execution> find(Handle handle, String id) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM executions WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> execution(rs))
        .findOne();
  }

  /** Reads the execution and, on PostgreSQL, locks its row until the transaction ends. */
  public Optional<Execution> findForUpdate(Handle handle, String id) {
    // SQLite needs no row lock: its transactions begin IMMEDIATE and so hold the write lock.
    String lock = dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "";
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM executions WHERE id = :id" + lock)
        .bind("id", id)
        .map((rs, ctx) -> execution(rs))
        .findOne();
  }

  public Optional<Execution> findByIdempotencyKey(Handle handle, String idempotencyKey) {
    return handle
        .createQuery("SELECT " + COLUMNS + " FROM executions WHERE idempotency_key = :key")
        .bind("key", idempotencyKey)
        .map((rs, ctx) -> execution(rs))
        .findOne();
  }

  public Optional<byte[]> callbackToken(Handle handle, String id) {
    return handle
        .createQuery("SELECT callback_token FROM executions WHERE id = :id")
        .bind("id", id)
        .map((rs, ctx) -> Optional.ofNullable(rs.getBytes(1)))
        .findOne()
        .flatMap(token -> token);
  }

  /**
   * Stores {@code next} if the row is still at {@code current}'s sequence, and keeps its status as
   * a change for Watch. The status is written once for both; the spec only when it changed.
   *
   * @param newToken replaces the stored callback token, or {@code null} to keep it
   * @return {@code next} as stored (its text may have changed, see {@link StoredText}), or empty
   *     when someone else changed the execution first, and nothing was written
   */
  public Optional<Execution> update(
      Handle handle, Execution current, Execution next, byte[] newToken) {
    // Only the columns that change: SQLite rewrites an index entry whenever its column is set.
    boolean phaseChanged = next.phase() != current.phase();
    boolean specChanged = !next.spec().equals(current.spec());
    String callbackState = next.status().callback().state().name();
    boolean callbackStateChanged =
        !callbackState.equals(current.status().callback().state().name());
    String sql =
        "UPDATE executions SET sequence = :sequence, "
            + (phaseChanged ? "phase = :phase, " : "")
            + (specChanged ? "spec = " + jsonParameter("spec") + ", " : "")
            + "status = "
            + jsonParameter("status")
            + (newToken != null ? ", callback_token = :token" : "")
            + (callbackStateChanged ? ", callback_state = :callbackState" : "")
            + ", updated_at = "
            + now()
            + " WHERE id = :id AND sequence = :expectedSequence";
    String status = json.write(next.status());
    Update update =
        handle
            .createUpdate(sql)
            .bind("sequence", next.sequence())
            .bind("status", status)
            .bind("id", next.id())
            .bind("expectedSequence", current.sequence());
    if (phaseChanged) {
      update.bind("phase", next.phase().name());
    }
    if (specChanged) {
      update.bind("spec", json.write(next.spec()));
    }
    if (newToken != null) {
      update.bindByType("token", newToken, byte[].class);
    }
    if (callbackStateChanged) {
      update.bind("callbackState", callbackState);
    }
    if (update.execute() != 1) {
      return Optional.empty();
    }
    keepChange(handle, next.id(), next.sequence(), status);
    return Optional.of(
        new Execution(
            next.id(),
            next.createTime(),
            next.labels(),
            next.sequence(),
            next.spec(),
            json.asStored(next.status(), status)));
  }

  /** Keeps the status (as JSON) of one sequence so Watch can replay it. */
  private void keepChange(Handle handle, String id, long sequence, String status) {
    handle
        .createUpdate(
            "INSERT INTO execution_changes (execution_id, sequence, status) VALUES (:id,"
                + " :sequence, "
                + jsonParameter("status")
                + ")")
        .bind("id", id)
        .bind("sequence", sequence)
        .bind("status", status)
        .execute();
  }

  /** Up to {@code limit} executions matching the query, newest first. */
  public List<Execution> list(Handle handle, ExecutionQuery query, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM executions WHERE 1 = 1");
    List<ExecutionPhase> phases = new ArrayList<>(query.phases());
    if (!phases.isEmpty()) {
      sql.append(" AND phase IN (");
      for (int i = 0; i < phases.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(":phase").append(i);
      }
      sql.append(')');
    }
    if (query.agent() != null) {
      sql.append(" AND agent = :agent");
    }
    if (!query.labels().isEmpty()) {
      sql.append(labelFilter(query.labels().size()));
    }
    if (query.afterId() != null) {
      sql.append(" AND id < :afterId");
    }
    sql.append(" ORDER BY id DESC LIMIT :limit");
    Query select = handle.createQuery(sql.toString());
    for (int i = 0; i < phases.size(); i++) {
      select.bind("phase" + i, phases.get(i).name());
    }
    if (query.agent() != null) {
      select.bind("agent", query.agent());
    }
    if (!query.labels().isEmpty()) {
      bindLabelFilter(select, query.labels());
    }
    if (query.afterId() != null) {
      select.bind("afterId", query.afterId());
    }
    return select.bind("limit", limit).map((rs, ctx) -> execution(rs)).list();
  }

  /**
   * Conditions that keep executions carrying every one of {@code count} labels: PostgreSQL's
   * containment of one JSON object, SQLite's value at each key's path. Neither has an index: the
   * search reads executions newest first until the page is full, so a rare label is best combined
   * with an agent or a phase.
   */
  private String labelFilter(int count) {
    if (dialect == Dialect.POSTGRESQL) {
      return " AND labels @> CAST(:labelFilter AS jsonb)";
    }
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sql.append(" AND json_extract(labels, :labelPath")
          .append(i)
          .append(") = :labelValue")
          .append(i);
    }
    return sql.toString();
  }

  /** Binds {@link #labelFilter}'s parameters, numbered in {@code labels}' iteration order. */
  private void bindLabelFilter(Query select, Map<String, String> labels) {
    if (dialect == Dialect.POSTGRESQL) {
      select.bind("labelFilter", json.write(labels));
      return;
    }
    int i = 0;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      // Label keys are letters, digits and . _ / - (checked on Create and on list): quoted as a
      // JSON path key, a dot in one is not a path step.
      select.bind("labelPath" + i, "$.\"" + label.getKey() + "\"");
      select.bind("labelValue" + i, label.getValue());
      i++;
    }
  }

  /** The stored snapshots after {@code afterSequence}, oldest first. */
  public List<Execution> changes(Handle handle, String id, long afterSequence, int limit) {
    return handle
        .createQuery(
            "SELECT e.id, e.created_at, e.labels, c.sequence, e.spec, c.status"
                + " FROM execution_changes c JOIN executions e ON e.id = c.execution_id"
                + " WHERE c.execution_id = :id AND c.sequence > :after"
                + " ORDER BY c.sequence LIMIT :limit")
        .bind("id", id)
        .bind("after", afterSequence)
        .bind("limit", limit)
        .map((rs, ctx) -> execution(rs))
        .list();
  }

  public List<Execution> withPendingCallback(Handle handle, int limit) {
    return handle
        .createQuery(
            "SELECT "
                + COLUMNS
                + " FROM executions WHERE callback_state = 'PENDING' ORDER BY id LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> execution(rs))
        .list();
  }

  /**
   * Serialises slot claims for one agent until the transaction ends: a PostgreSQL advisory lock
   * (SQLite's transactions already hold the database's write lock).
   */
  public void lockAgent(Handle handle, String agent) {
    if (dialect == Dialect.POSTGRESQL) {
      handle
          .createQuery(
              "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:space, hashtext(:agent))) AS locked")
          .bind("space", AGENT_LOCK_SPACE)
          .bind("agent", agent)
          .mapTo(Integer.class)
          .one();
    }
  }

  /**
   * Counts an agent's executions that hold a slot or are queued before {@code :id}: two range
   * searches of {@code executions_agent_phase_id}, so a claim reads the agent's running and queued
   * executions only. Written as one condition ({@code phase = 'IN_PROGRESS' OR (phase = 'PENDING'
   * AND id < :id)}), SQLite searched on the agent alone and read every execution the agent ever
   * had, ended ones included, inside the writer's transaction.
   */
  public static final String COUNT_AHEAD =
      "SELECT (SELECT COUNT(*) FROM executions WHERE agent = :agent AND phase = 'IN_PROGRESS')"
          + " + (SELECT COUNT(*) FROM executions"
          + " WHERE agent = :agent AND phase = 'PENDING' AND id < :id)";

  /** Executions of the agent that hold a slot or are queued before {@code id}. */
  public long countAhead(Handle handle, String agent, String id) {
    return handle
        .createQuery(COUNT_AHEAD)
        .bind("agent", agent)
        .bind("id", id)
        .mapTo(Long.class)
        .one();
  }

  /** Ids of the agent's PENDING executions, oldest first. */
  public List<String> pendingOf(Handle handle, String agent, int limit) {
    return handle
        .createQuery(
            "SELECT id FROM executions WHERE agent = :agent AND phase = 'PENDING' ORDER BY id"
                + " LIMIT :limit")
        .bind("agent", agent)
        .bind("limit", limit)
        .mapTo(String.class)
        .list();
  }

  /** PENDING executions by agent. */
  public Map<String, Long> pendingByAgent(Handle handle) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    handle
        .createQuery(
            "SELECT agent, COUNT(*) AS n FROM executions WHERE phase = 'PENDING' GROUP BY agent")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
    return counts;
  }

  public long countInPhase(Handle handle, ExecutionPhase phase) {
    return handle
        .createQuery("SELECT COUNT(*) FROM executions WHERE phase = :phase")
        .bind("phase", phase.name())
        .mapTo(Long.class)
        .one();
  }

  public List<Instant> pendingCallbackCreateTimes(Handle handle) {
    return handle
        .createQuery("SELECT created_at FROM executions WHERE callback_state = 'PENDING'")
        .mapTo(String.class)
        .map(Instant::parse)
        .list();
  }

  private Execution execution(ResultSet rs) throws SQLException {
    return new Execution(
        rs.getString("id"),
        Instant.parse(rs.getString("created_at")),
        json.readLabels(rs.getString("labels")),
        rs.getLong("sequence"),
        json.readSpec(rs.getString("spec")),
        json.readStatus(rs.getString("status")));
  }

  private String jsonParameter(String name) {
    return dialect == Dialect.POSTGRESQL ? "CAST(:" + name + " AS jsonb)" : ":" + name;
  }

  /**
   * Deletes up to {@code limit} ended executions with a settled callback that nothing changed for
   * {@code unchangedFor} (DB clock, to the millisecond) and whose id is below {@code below}, oldest
   * first, with their changes, events and lease (SQLite does not enforce the foreign keys'
   * cascade).
   *
   * @return the ids deleted
   */
  public List<String> deleteSettled(Handle handle, Duration unchangedFor, String below, int limit) {
    String before =
        dialect == Dialect.POSTGRESQL
            ? "now() - make_interval(secs => :seconds)"
            : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || :seconds || ' seconds')";
    List<String> ids =
        handle
            .createQuery(
                "DELETE FROM executions WHERE id IN (SELECT id FROM executions WHERE id < :below"
                    + " AND phase IN ('COMPLETED', 'FAILED', 'CANCELLED')"
                    + " AND callback_state <> 'PENDING' AND updated_at < "
                    + before
                    + " ORDER BY id LIMIT :limit) RETURNING id")
            .bind("below", below)
            .bind("seconds", unchangedFor.toMillis() / 1000.0)
            .bind("limit", limit)
            .mapTo(String.class)
            .list();
    if (!ids.isEmpty()) {
      for (String table : List.of("execution_changes", "execution_events", "run_leases")) {
        handle
            .createUpdate("DELETE FROM " + table + " WHERE execution_id IN (<ids>)")
            .bindList("ids", ids)
            .execute();
      }
    }
    return ids;
  }

  /** How many callbacks reached each final state within the last {@code seconds} (DB clock). */
  public Map<CallbackState, Long> callbackOutcomesWithin(Handle handle, long seconds) {
    String since =
        dialect == Dialect.POSTGRESQL
            ? "now() - make_interval(secs => :seconds)"
            : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || :seconds || ' seconds')";
    Map<CallbackState, Long> counts = new EnumMap<>(CallbackState.class);
    handle
        .createQuery(
            "SELECT callback_state, COUNT(*) AS n FROM executions WHERE callback_state IN"
                + " ('DELIVERED', 'CALLER_GONE', 'FAILED') AND updated_at >= "
                + since
                + " GROUP BY callback_state")
        .bind("seconds", seconds)
        .map((rs, ctx) -> Map.entry(CallbackState.valueOf(rs.getString(1)), rs.getLong(2)))
        .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
    return counts;
  }

  private String now() {
    return dialect == Dialect.POSTGRESQL ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  }
}
