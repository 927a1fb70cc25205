-- 核对订单 (issue 13): after payment the shop sends the buyer the items, size and receiver
-- address to confirm. The order remembers where that stands: pending (sent, 待核对),
-- confirmed (已核对, by the buyer or an agent) or corrected (the buyer asked for a change and
-- a work order went to the warehouse); NULL when none was sent. confirm_sent_at: only what
-- the buyer writes after it is read as an answer.
ALTER TABLE orders ADD COLUMN confirm_status TEXT CHECK (confirm_status IN ('pending', 'confirmed', 'corrected'));
ALTER TABLE orders ADD COLUMN confirm_sent_at TIMESTAMPTZ;
ALTER TABLE orders ADD COLUMN confirmed_at TIMESTAMPTZ;

-- Paid orders waiting to ship, by payment time: the confirmation automation reads only the
-- recently paid ones.
CREATE INDEX orders_paid ON orders (paid_at) WHERE status = 'paid';
-- Each buyer message looks for an open confirmation of that buyer: a paid order not shipped
-- yet whose confirmation was sent (a correction may still follow a yes). Orders leave this
-- index when they ship, so it holds only the orders of the last day or two.
CREATE INDEX orders_confirm_open ON orders (buyer_id)
    WHERE status = 'paid' AND confirm_status IN ('pending', 'confirmed');

-- The buyer's chat shows what the shop sent them outside a conversation: campaign messages,
-- and now the order confirmation too.
DROP INDEX outbox_by_campaign;
CREATE INDEX outbox_shop_messages ON outbox (buyer_id, created_at)
    WHERE campaign_id IS NOT NULL OR reason = 'confirm_order';
