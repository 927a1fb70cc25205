-- The reply check (issue 14): each time a reply to a buyer had words the platform penalises,
-- who wrote it, on which ticket, which words, and what became of it (warned and not sent,
-- sent after confirming, or refused). Supervisors read the counts per agent by period.
CREATE TABLE phrase_hits (
    id         UUID PRIMARY KEY,
    staff_id   UUID NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    ticket_id  UUID REFERENCES tickets (id) ON DELETE SET NULL,
    phrases    TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('warned', 'sent', 'blocked')),
    created_at TIMESTAMPTZ NOT NULL
);
-- The counts read one period, newest first.
CREATE INDEX phrase_hits_by_created ON phrase_hits (created_at);
