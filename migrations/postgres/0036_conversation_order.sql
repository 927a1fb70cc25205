-- A conversation is read newest first, message after message by time and then id (two
-- messages may share a time), and so is the timeline: with the id in the index the rows
-- come in the page's order, with no sort of ties (SQLite's migration 0035 says why there).
DROP INDEX ticket_messages_by_ticket;
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, created_at, id);
DROP INDEX ticket_events_by_ticket;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, created_at, id);
