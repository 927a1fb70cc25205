-- A conversation is read newest first, message after message by time and then id (two
-- messages may share a time), and so is the timeline. With only the time in the index,
-- SQLite sorted each run of equal times in a temporary b-tree, one run per message: for a
-- conversation of a hundred messages that sort took more than the reads (BENCHMARKS.md,
-- session of 2026-12-06 h). With the id in the index, the rows come in the page's order.
DROP INDEX ticket_messages_by_ticket;
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, created_at, id);
DROP INDEX ticket_events_by_ticket;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, created_at, id);
