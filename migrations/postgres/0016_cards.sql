-- Item and order cards (issue 14). A buyer's message may carry the item they are asking
-- about (a product card: opened from an item page as /chat?sku=…, or the API's product_sku)
-- or one of their orders they picked to send (an order card). The ticket keeps the item
-- asked about most recently: the ticket page, the API and inquiry analysis read it there.
ALTER TABLE ticket_messages ADD COLUMN product_id UUID REFERENCES products (id);
ALTER TABLE ticket_messages ADD COLUMN order_id UUID REFERENCES orders (id);
ALTER TABLE tickets ADD COLUMN product_id UUID REFERENCES products (id);
