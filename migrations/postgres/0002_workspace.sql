-- The agent workspace: inbox ordering, unread marker and list preview kept on the ticket so
-- the inbox is one indexed read (no per-row message lookups), and buyer chat sessions.

-- Sort key of the inbox, smaller = more urgent: while a ticket waits on us it is the time
-- the wait began (oldest first); otherwise it sorts after all waiting tickets, newest first.
-- Maintained by the store whenever waiting_since or last_message_at change.
ALTER TABLE tickets ADD COLUMN urgency BIGINT NOT NULL DEFAULT 0;
-- A buyer wrote since staff last opened the ticket.
ALTER TABLE tickets ADD COLUMN unread BOOLEAN NOT NULL DEFAULT FALSE;
-- The start of the last public message, for the inbox list.
ALTER TABLE tickets ADD COLUMN last_preview TEXT NOT NULL DEFAULT '';

-- Only active tickets are ever listed in a queue: partial indexes keep closed history out.
CREATE INDEX tickets_queue ON tickets (stage, urgency, id)
    WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');
CREATE INDEX tickets_queue_mine ON tickets (assignee_id, urgency, id)
    WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');

-- A buyer's chat in the browser (/chat): the cookie token's hash, the buyer and the order
-- they named. No staff login involved.
CREATE TABLE chat_sessions (
    token_hash TEXT PRIMARY KEY,
    buyer_id   UUID NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    order_id   UUID REFERENCES orders (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
