-- Photos in conversations (issue 14): buyers and agents attach images to a message. Kept in
-- the database beside the message, so one backup holds everything and every instance serves
-- them. `data` is the image as re-encoded on upload (metadata such as GPS gone), `thumb` a
-- small JPEG for the conversation.
CREATE TABLE attachments (
    id           BLOB PRIMARY KEY,
    ticket_id    BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    message_id   BLOB NOT NULL REFERENCES ticket_messages (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    size         INTEGER NOT NULL CHECK (size > 0),
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BLOB NOT NULL,
    thumb        BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
-- A conversation's photos are read together, in message order.
CREATE INDEX attachments_by_ticket ON attachments (ticket_id, message_id, position);
