-- Serves "callbacks that ended in the last hour" (baton status) without a full scan.
CREATE INDEX executions_callback_state_updated ON executions (callback_state, updated_at);
