-- Agent performance (issue 11): the buyers' tickets a first replier answered, opened in a
-- range (read in time order, grouped per agent); and the replies written in a range.
CREATE INDEX tickets_answered ON tickets (created_at, first_responder_id)
    WHERE parent_id IS NULL AND first_responder_id IS NOT NULL;
CREATE INDEX ticket_messages_replies ON ticket_messages (created_at, staff_id)
    WHERE author_kind = 'staff' AND NOT internal;
-- Service times and arrivals (issue 11): every buyer's ticket opened in a range.
CREATE INDEX tickets_by_created ON tickets (created_at) WHERE parent_id IS NULL;
