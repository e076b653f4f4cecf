-- Executions and the snapshot of every change (see dev.baton.store.JdbcExecutionStore).
-- Timestamps the domain reads back (created_at) are ISO-8601 text so an Instant round-trips
-- exactly; updated_at and recorded_at are for operators only.
CREATE TABLE executions (
  id              TEXT    NOT NULL PRIMARY KEY,
  created_at      TEXT    NOT NULL,
  agent           TEXT    NOT NULL,
  phase           TEXT    NOT NULL,
  sequence        INTEGER NOT NULL,
  idempotency_key TEXT    UNIQUE,
  labels          TEXT    NOT NULL,
  spec            TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  -- The raw task token: only here, never inside the JSON columns.
  callback_token  BLOB,
  callback_state  TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX executions_phase_id ON executions (phase, id DESC);
CREATE INDEX executions_agent_id ON executions (agent, id DESC);
CREATE INDEX executions_pending_callback ON executions (id) WHERE callback_state = 'PENDING';

CREATE TABLE execution_changes (
  execution_id TEXT    NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  sequence     INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  recorded_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (execution_id, sequence)
) WITHOUT ROWID;
