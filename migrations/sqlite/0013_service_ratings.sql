-- Service ratings (服务评价, issue 14): the buyer rates a resolved conversation, once per
-- ticket, changeable for 24 hours; the agent who handled it is kept for their figures.
CREATE TABLE ticket_ratings (
    ticket_id  BLOB PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    buyer_id   BLOB NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    agent_id   BLOB REFERENCES staff (id) ON DELETE SET NULL,
    rating     TEXT NOT NULL
        CHECK (rating IN ('very_satisfied', 'satisfied', 'neutral', 'unsatisfied', 'very_unsatisfied')),
    comment    TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Per agent by period (the analytics issue), and a buyer's ratings for the buyer panel.
CREATE INDEX ticket_ratings_by_agent ON ticket_ratings (agent_id, created_at);
CREATE INDEX ticket_ratings_by_buyer ON ticket_ratings (buyer_id, created_at);

-- The invitation to rate (邀评): sent once per ticket, when it is resolved or by hand.
CREATE TABLE rating_invites (
    ticket_id  BLOB PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    staff_id   BLOB REFERENCES staff (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
