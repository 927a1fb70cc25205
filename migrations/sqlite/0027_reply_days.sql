-- Replies per agent and day (issue 11). Agent performance counted a year of replies from the
-- messages themselves: a million rows at scale 1 (0.4 s). The counts are kept per UTC day as
-- replies are written; a report in the shop's zone adds the partial days at its two ends
-- from the messages.
CREATE TABLE reply_days (
    day      TEXT NOT NULL,             -- the UTC date, YYYY-MM-DD
    staff_id BLOB NOT NULL REFERENCES staff (id),
    replies  INTEGER NOT NULL,
    PRIMARY KEY (day, staff_id)
);
INSERT INTO reply_days (day, staff_id, replies)
SELECT substr(created_at, 1, 10), staff_id, COUNT(*) FROM ticket_messages
WHERE author_kind = 'staff' AND NOT internal AND staff_id IS NOT NULL
GROUP BY 1, 2;

-- The indexes of 0025–0027 have no statistics yet, and the daily refresh analyses only tables
-- that have grown or shrunk a lot (store::maintenance): the tables they are on are analysed
-- once here, in full (seconds at a million tickets).
ANALYZE tickets;
ANALYZE orders;
ANALYZE shipments;
ANALYZE reply_days;
