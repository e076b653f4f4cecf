package dev.baton.store.internal;

import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.RunLease;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of the {@code run_leases} table, the same on SQLite and PostgreSQL. Callers own the
 * transactions; every method runs on the handle it is given.
 */
public final class LeaseTable {
  /** Ids per renewal statement: well below the bound-parameter limits of SQLite and PostgreSQL. */
  static final int RENEW_CHUNK = 500;

  /** Takes the lease for its owner, replacing any lease the execution had. */
  public void put(Handle handle, String executionId, RunLease lease) {
    handle
        .createUpdate(
            "INSERT INTO run_leases (execution_id, owner, expires_at) VALUES (:id, :owner, :until)"
                + " ON CONFLICT (execution_id) DO UPDATE"
                + " SET owner = excluded.owner, expires_at = excluded.expires_at")
        .bind("id", executionId)
        .bind("owner", lease.owner())
        .bind("until", lease.expiresAt().toEpochMilli())
        .execute();
  }

  /**
   * Extends the owner's leases on those of {@code executionIds} still IN_PROGRESS, a statement per
   * {@link #RENEW_CHUNK} ids; returns the ids renewed.
   */
  public Set<String> renew(Handle handle, Collection<String> executionIds, RunLease lease) {
    List<String> ids = List.copyOf(new LinkedHashSet<>(executionIds));
    Set<String> renewed = new HashSet<>();
    for (int from = 0; from < ids.size(); from += RENEW_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + RENEW_CHUNK));
      renewed.addAll(
          handle
              .createQuery(
                  "UPDATE run_leases SET expires_at = :until"
                      + " WHERE owner = :owner AND execution_id IN (<ids>) AND EXISTS"
                      + " (SELECT 1 FROM executions"
                      + " WHERE executions.id = run_leases.execution_id AND phase = :phase)"
                      + " RETURNING execution_id")
              .bindList("ids", chunk)
              .bind("owner", lease.owner())
              .bind("until", lease.expiresAt().toEpochMilli())
              .bind("phase", ExecutionPhase.IN_PROGRESS.name())
              .mapTo(String.class)
              .list());
    }
    return renewed;
  }

  public void delete(Handle handle, String executionId, String owner) {
    handle
        .createUpdate("DELETE FROM run_leases WHERE execution_id = :id AND owner = :owner")
        .bind("id", executionId)
        .bind("owner", owner)
        .execute();
  }

  /** Drops the execution's lease, whoever holds it. */
  public void deleteAny(Handle handle, String executionId) {
    handle
        .createUpdate("DELETE FROM run_leases WHERE execution_id = :id")
        .bind("id", executionId)
        .execute();
  }

  public Optional<RunLease> find(Handle handle, String executionId) {
    return handle
        .createQuery("SELECT owner, expires_at FROM run_leases WHERE execution_id = :id")
        .bind("id", executionId)
        .map(
            (row, context) ->
                new RunLease(
                    row.getString("owner"), Instant.ofEpochMilli(row.getLong("expires_at"))))
        .findOne();
  }
}
