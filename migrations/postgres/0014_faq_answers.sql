-- Answers when nobody is there (issue 14): the knowledge articles offered to a buyer whose
-- conversation found no one on shift, and whether they helped (解决了) or the buyer asked for
-- a person (转人工). One offer per ticket.
CREATE TABLE faq_suggestions (
    ticket_id   UUID PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
    message_id  UUID NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    -- The articles offered, best first, as their ids separated by commas (at most three).
    article_ids TEXT NOT NULL,
    outcome     TEXT CHECK (outcome IN ('solved', 'human')),
    created_at  TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ
);
