-- Reads whose cost must not grow with the number of tickets or orders.

-- Work orders are few: index only tickets that have a parent, so finding a ticket's work
-- orders reads a handful of entries (with the old index the planner chose to scan the table,
-- because nearly every row shared the same NULL).
DROP INDEX tickets_by_parent;
CREATE INDEX tickets_by_parent ON tickets (parent_id) WHERE parent_id IS NOT NULL;

-- The unassigned inbox of a stage, in urgency order.
CREATE INDEX tickets_queue_unassigned ON tickets (stage, urgency, id)
    WHERE assignee_id IS NULL AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal');

-- "Bought together" reads a product's most recent order lines only (ids are time-ordered).
DROP INDEX order_items_by_product;
CREATE INDEX order_items_by_product ON order_items (product_id, id);

-- The automation timers read only the orders that are due: an index per condition, each
-- partial to the statuses it concerns (store::automations::due).
CREATE INDEX orders_unpaid ON orders (created_at) WHERE status = 'created';
CREATE INDEX orders_to_ship ON orders (ship_by) WHERE status = 'paid';
CREATE INDEX orders_in_transit ON orders (shipped_at) WHERE status = 'shipped';
CREATE INDEX orders_by_shipped ON orders (shipped_at);
CREATE INDEX orders_by_signed ON orders (signed_at);
CREATE INDEX reviews_poor ON reviews (created_at) WHERE first_rating IN ('mid', 'bad');

-- The home page's "waiting longest": the oldest waits first, read in order, stopping at the
-- page instead of sorting every waiting ticket.
CREATE INDEX tickets_waiting ON tickets (waiting_since)
    WHERE waiting_since IS NOT NULL AND status IN ('new', 'open', 'waiting_internal');
