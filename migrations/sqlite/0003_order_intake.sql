-- Order intake API: remembered answers to requests sent with an Idempotency-Key header, so
-- a retried POST returns the first answer instead of acting twice.
CREATE TABLE idempotency_keys (
    key         TEXT NOT NULL,
    token_id    BLOB NOT NULL,
    request     TEXT NOT NULL,
    status      INTEGER NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
