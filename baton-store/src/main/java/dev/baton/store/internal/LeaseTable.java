package dev.baton.store.internal;

import dev.baton.execution.ExecutionPhase;
import dev.baton.execution.RunLease;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The SQL of the {@code run_leases} table, the same on SQLite and PostgreSQL. Callers own the
 * transactions; every method runs on the handle it is given.
 */
public final class LeaseTable {

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

  /** Extends the owner's lease while the execution is IN_PROGRESS; false when it cannot. */
  public boolean renew(Handle handle, String executionId, RunLease lease) {
    return handle
            .createUpdate(
                "UPDATE run_leases SET expires_at = :until"
                    + " WHERE execution_id = :id AND owner = :owner AND EXISTS"
                    + " (SELECT 1 FROM executions WHERE id = :id AND phase = :phase)")
            .bind("id", executionId)
            .bind("owner", lease.owner())
            .bind("until", lease.expiresAt().toEpochMilli())
            .bind("phase", ExecutionPhase.IN_PROGRESS.name())
            .execute()
        == 1;
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
