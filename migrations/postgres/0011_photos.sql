-- Photos in conversations (issue 14): buyers and agents attach images to a message. Kept in
-- the database beside the message, so one backup holds everything and every instance serves
-- them. `data` is the image as re-encoded on upload (metadata such as GPS gone), `thumb` a
-- small JPEG for the conversation.
CREATE TABLE attachments (
    id           UUID PRIMARY KEY,
    ticket_id    UUID NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   UUID NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size         BIGINT NOT NULL CHECK (size > 0),
    width        BIGINT NOT NULL,
    height       BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    thumb        BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
-- A conversation's photos are read together, in message order.
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, message_id, position);
