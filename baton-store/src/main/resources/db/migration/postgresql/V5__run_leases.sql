-- Run leases of agents started eagerly, at Create, outside their agent activity
-- (dev.baton.execution.EagerRuns): while a lease is live no other run of the agent starts.
-- expires_at is epoch milliseconds, compared as a number.
CREATE TABLE run_leases (
  execution_id text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES executions (id) ON DELETE CASCADE,
  owner        text   NOT NULL,
  expires_at   bigint NOT NULL
);
