-- Routing, SLA and presence.

-- Ordered routing rules (first match wins); every condition left NULL matches anything.
CREATE TABLE routing_rules (
    id           BLOB PRIMARY KEY,
    position     INTEGER NOT NULL DEFAULT 0,
    stage        TEXT,
    category     TEXT,
    channel      TEXT,
    member_level TEXT,
    keyword      TEXT,
    team         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX routing_rules_by_position ON routing_rules (position);

-- How each team (a skill) picks its agent.
CREATE TABLE team_settings (
    team     TEXT PRIMARY KEY,
    strategy TEXT NOT NULL DEFAULT 'least_loaded' CHECK (strategy IN ('least_loaded', 'round_robin'))
);

ALTER TABLE tickets ADD COLUMN team TEXT;
-- While a ticket waits on the buyer or an internal party its SLA clock is paused.
ALTER TABLE tickets ADD COLUMN sla_paused_at TEXT;
ALTER TABLE tickets ADD COLUMN breached INTEGER NOT NULL DEFAULT 0;
-- Breach checks read active tickets by due time.
CREATE INDEX tickets_due ON tickets (resolution_due)
    WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
CREATE INDEX tickets_unassigned ON tickets (team, created_at)
    WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');

ALTER TABLE staff ADD COLUMN last_assigned_at TEXT;
ALTER TABLE staff ADD COLUMN last_active_at TEXT;
