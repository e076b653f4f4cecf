-- Progress events of executions (message chunks, tool calls, log lines), numbered from 1 per
-- execution in the order they were stored (see dev.baton.store.internal.EventTable).
-- time is ISO-8601 text so an Instant round-trips exactly.
CREATE TABLE execution_events (
  execution_id TEXT    NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  time         TEXT    NOT NULL,
  type         TEXT    NOT NULL,
  text         TEXT    NOT NULL,
  data         TEXT,
  PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;
