-- Executions and the snapshot of every change (see dev.baton.store.JdbcExecutionStore).
-- Ids are ULIDs compared byte-wise (COLLATE "C") so that ORDER BY id is creation order whatever
-- the database's locale. created_at is ISO-8601 text so an Instant round-trips exactly (timestamptz
-- keeps microseconds only); updated_at and recorded_at are for operators.
CREATE TABLE executions (
  id              text COLLATE "C" NOT NULL PRIMARY KEY,
  created_at      text        NOT NULL,
  agent           text        NOT NULL,
  phase           text        NOT NULL,
  sequence        bigint      NOT NULL,
  idempotency_key text        UNIQUE,
  labels          jsonb       NOT NULL,
  spec            jsonb       NOT NULL,
  status          jsonb       NOT NULL,
  -- The raw task token: only here, never inside the JSON columns.
  callback_token  bytea,
  callback_state  text        NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX executions_phase_id ON executions (phase, id DESC);
CREATE INDEX executions_agent_id ON executions (agent, id DESC);
CREATE INDEX executions_pending_callback ON executions (id) WHERE callback_state = 'PENDING';

CREATE TABLE execution_changes (
  execution_id text COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  sequence     bigint      NOT NULL,
  status       jsonb       NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_id, sequence)
);
