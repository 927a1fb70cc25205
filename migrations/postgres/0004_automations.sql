-- Order-lifecycle automations. One row per order and reason, written in the same
-- transaction as what the automation does: the primary key makes each automation fire at
-- most once per order, across restarts and across instances.
CREATE TABLE automation_runs (
    order_id  UUID NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    reason    TEXT NOT NULL,
    fired_at  TIMESTAMPTZ NOT NULL,
    ticket_id UUID REFERENCES tickets (id) ON DELETE SET NULL,
    PRIMARY KEY (order_id, reason)
);
CREATE INDEX automation_runs_by_time ON automation_runs (fired_at);

-- The returns workflow of after-sale tickets (return_reason, return_fault and
-- fee_responsibility exist since 0001).
ALTER TABLE tickets ADD COLUMN return_state TEXT;
ALTER TABLE tickets ADD COLUMN return_tracking TEXT;
ALTER TABLE tickets ADD COLUMN arbitration BOOLEAN NOT NULL DEFAULT FALSE;
