-- Slot claims of agents with maxConcurrent count an agent's IN_PROGRESS executions and its PENDING
-- ones created earlier (dev.baton.store.JdbcExecutionStore#claimSlot); this keeps that a range scan.
CREATE INDEX executions_agent_phase_id ON executions (agent, phase, id);
