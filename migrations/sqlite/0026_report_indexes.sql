-- After-sale figures over a year at a million tickets and orders (issue 11): each is read
-- from a small index instead of every ticket and order of the range.
-- Returns: the after-sale tickets with a return reason (a few percent of all tickets), with
-- everything the report groups them by.
CREATE INDEX tickets_returns ON tickets (created_at, return_reason, fee_responsibility, return_state, order_id)
    WHERE parent_id IS NULL AND return_reason IS NOT NULL;
-- Orders shipped after their ship-by time (the penalty's rule groups them by platform and
-- goods amount); the unshipped overdue ones come from orders_to_ship.
CREATE INDEX orders_shipped_late ON orders (created_at, platform, goods_fen) WHERE shipped_at > ship_by;
-- Parcels shipped in a range, per courier.
CREATE INDEX shipments_by_shipped ON shipments (shipped_at, courier);
