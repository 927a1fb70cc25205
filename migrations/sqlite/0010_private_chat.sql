-- Private buyer chat (issue 14): a browser sees only the conversations it opened, or those
-- of a buyer it proved to be (a signed entry link, or an order number with the last four
-- digits of its receiver phone).

-- A visitor who only typed a nick gets a buyer of their own; the nick they claimed is kept
-- so an agent can check it and merge the visitor into that buyer.
ALTER TABLE buyers ADD COLUMN claimed_nick TEXT;

-- How this browser's session came to name its buyer.
ALTER TABLE chat_sessions ADD COLUMN proof TEXT NOT NULL DEFAULT 'visitor'
    CHECK (proof IN ('visitor', 'link', 'order_phone', 'merged'));
-- Every session made before this step was opened by typing a nick, which proves nothing:
-- those browsers start again.
DELETE FROM chat_sessions;
-- A merge moves a visitor's sessions to the buyer; sessions end after 30 days (the cookie's
-- life) and are swept by age.
CREATE INDEX chat_sessions_by_buyer ON chat_sessions (buyer_id);
CREATE INDEX chat_sessions_by_created ON chat_sessions (created_at);
-- A merge moves a visitor's outbox rows too.
CREATE INDEX outbox_by_buyer ON outbox (buyer_id);

-- Who the parcel goes to. The receiver's phone is what a buyer proves an order with.
ALTER TABLE orders ADD COLUMN receiver_name TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN receiver_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN receiver_address TEXT NOT NULL DEFAULT '';

-- Failed attempts per key (an order number, a client address …) in a fixed window, shared
-- by every instance on the store.
CREATE TABLE throttle (
    key          TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    failures     INTEGER NOT NULL
);

-- Keys the instances share (the entry-link signing key), made once by whichever starts first.
CREATE TABLE app_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
