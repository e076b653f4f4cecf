-- Progress events of executions (message chunks, tool calls, log lines), numbered from 1 per
-- execution in the order they were stored (see dev.baton.store.internal.EventTable).
-- time is ISO-8601 text so an Instant round-trips exactly (timestamptz keeps microseconds only).
CREATE TABLE execution_events (
  execution_id text COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  time         text   NOT NULL,
  type         text   NOT NULL,
  text         text   NOT NULL,
  data         text,
  PRIMARY KEY (execution_id, seq)
);
