-- Replies per agent and day (issue 11). Agent performance counted a year of replies from the
-- messages themselves: a million rows at scale 1 (0.3 s). The counts are kept per UTC day as
-- replies are written; a report in the shop's zone adds the partial days at its two ends
-- from the messages.
CREATE TABLE reply_days (
    day      DATE NOT NULL,             -- the UTC date
    staff_id UUID NOT NULL REFERENCES staff (id),
    replies  BIGINT NOT NULL,
    PRIMARY KEY (day, staff_id)
);
INSERT INTO reply_days (day, staff_id, replies)
SELECT CAST(created_at AT TIME ZONE 'UTC' AS DATE), staff_id, COUNT(*) FROM ticket_messages
WHERE author_kind = 'staff' AND NOT internal AND staff_id IS NOT NULL
GROUP BY 1, 2;
