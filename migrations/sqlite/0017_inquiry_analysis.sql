-- Inquiry analysis (issue 11). An inquiry's agent is whoever answered it first: kept on the
-- ticket as the first reply is written, and filled here for tickets answered before.
ALTER TABLE tickets ADD COLUMN first_responder_id BLOB REFERENCES staff (id);
UPDATE tickets SET first_responder_id = (
    SELECT m.staff_id FROM ticket_messages m
    WHERE m.ticket_id = tickets.id AND m.author_kind = 'staff' AND NOT m.internal
    ORDER BY m.created_at LIMIT 1)
WHERE first_response_at IS NOT NULL;
-- The reports read a range of buyers' pre-sale tickets by when they were opened (conversion
-- then looks up each buyer's orders by orders_by_buyer).
CREATE INDEX tickets_inquiries ON tickets (created_at) WHERE stage = 'presale' AND parent_id IS NULL;
