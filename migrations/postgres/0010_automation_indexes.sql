-- The automation timers read only the orders that are due: an index per condition, each
-- partial to the statuses it concerns, so a run costs the same with a thousand orders or a
-- million (store::automations::due).
CREATE INDEX orders_unpaid ON orders (created_at) WHERE status = 'created';
CREATE INDEX orders_to_ship ON orders (ship_by) WHERE status = 'paid';
CREATE INDEX orders_in_transit ON orders (shipped_at) WHERE status = 'shipped';
CREATE INDEX orders_by_shipped ON orders (shipped_at);
CREATE INDEX orders_by_signed ON orders (signed_at);
CREATE INDEX reviews_poor ON reviews (created_at) WHERE first_rating IN ('mid', 'bad');
