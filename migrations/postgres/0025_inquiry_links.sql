-- Inquiry analysis at scale (issue 11). The report asked, for every inquiry of the range,
-- whether the buyer ordered within N days and which of their orders it is credited with:
-- three look-ups per inquiry, 11 s for a year at a million tickets. Both answers are kept
-- as the data changes instead, in a form that does not depend on N (an admin setting):
--   tickets.first_order_at  when the buyer first ordered at or after the ticket opened;
--   orders.inquiry_id       the buyer's latest pre-sale inquiry opened at or before the
--                           order (an order is credited to one inquiry only).
-- A report then reads the range's inquiries from one covering index and joins only the
-- orders credited to them.
ALTER TABLE tickets ADD COLUMN first_order_at TIMESTAMPTZ;
ALTER TABLE orders ADD COLUMN inquiry_id UUID REFERENCES tickets (id);

-- Only rows with a link are written (most orders follow no inquiry).
UPDATE tickets SET first_order_at = x.at FROM (
    SELECT t.id, (SELECT MIN(o.created_at) FROM orders o
                  WHERE o.buyer_id = t.buyer_id AND o.created_at >= t.created_at) AS at
    FROM tickets t) x
WHERE tickets.id = x.id AND x.at IS NOT NULL;
UPDATE orders SET inquiry_id = x.inquiry FROM (
    SELECT o.id, (SELECT t.id FROM tickets t
                  WHERE t.buyer_id = o.buyer_id AND t.stage = 'presale' AND t.parent_id IS NULL
                    AND t.created_at <= o.created_at
                  ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS inquiry
    FROM orders o) x
WHERE orders.id = x.id AND x.inquiry IS NOT NULL;

CREATE INDEX orders_by_inquiry ON orders (inquiry_id, created_at) WHERE inquiry_id IS NOT NULL;
-- Everything the inquiry figures, loss reasons and the lost returning buyers read, so a
-- year of inquiries is read from the index alone.
DROP INDEX tickets_inquiries;
CREATE INDEX tickets_inquiries ON tickets (created_at)
    INCLUDE (first_responder_id, product_id, first_order_at, outcome, loss_reason, buyer_id, id)
    WHERE stage = 'presale' AND parent_id IS NULL;
