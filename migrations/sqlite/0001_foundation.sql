-- Kefu foundation schema (SQLite). Postgres twin: migrations/postgres/0001_foundation.sql.
-- Conventions: ids are UUID v7 (16-byte BLOB here), times are UTC RFC 3339 text written by
-- the application (never SQLite's own clock, whose format does not sort with ours), money is
-- integer fen, booleans are 0/1.

-- Shop-wide settings as key/value pairs: a new setting needs no migration.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Monotonic counters, e.g. the short human ticket number. Incremented inside the writing
-- transaction with UPDATE … RETURNING so two instances never hand out the same number.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('ticket_number', 10000);

-- Service staff. username is stored lower-cased so logins are case-insensitive.
CREATE TABLE staff (
    id            BLOB PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
    presence      TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
    capacity      INTEGER NOT NULL DEFAULT 20 CHECK (capacity > 0),
    lang          TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT
);

-- What work a staff member handles (presale, insale, aftersale, refund, complaint, logistics).
-- Indexed by skill because routing asks "who can take this stage?".
CREATE TABLE staff_skills (
    staff_id BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    skill    TEXT NOT NULL,
    PRIMARY KEY (staff_id, skill)
);
CREATE INDEX staff_skills_by_skill ON staff_skills (skill, staff_id);

-- Planned shifts (排班). A shift is a half-open interval [starts_at, ends_at).
CREATE TABLE shifts (
    id        BLOB PRIMARY KEY,
    staff_id  BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    ends_at   TEXT NOT NULL,
    note      TEXT NOT NULL DEFAULT '',
    CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_by_staff ON shifts (staff_id, starts_at);
CREATE INDEX shifts_by_time ON shifts (starts_at);

-- Login sessions. Only a SHA-256 of the cookie token is stored, so a leaked database does not
-- leak live sessions. Stored here (not in memory) so sessions survive restarts and are shared
-- by every instance.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    staff_id     BLOB NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_by_staff ON sessions (staff_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Bearer tokens for the JSON API; only a hash is kept.
CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Buyers, identified by their platform nick (旺旺名).
CREATE TABLE buyers (
    id           BLOB PRIMARY KEY,
    nick         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    address      TEXT NOT NULL DEFAULT '',
    gender       TEXT CHECK (gender IN ('f', 'm')),
    birthday     TEXT,
    member_level TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
-- Keyset pagination of the buyers list walks (created_at, id) newest first.
CREATE INDEX buyers_by_created ON buyers (created_at, id);
CREATE INDEX buyers_by_phone ON buyers (phone);

CREATE TABLE buyer_tags (
    buyer_id BLOB NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (buyer_id, tag)
);
CREATE INDEX buyer_tags_by_tag ON buyer_tags (tag);

-- Shop-defined attributes (属性搜集): 尺码 → M, 肤质 → 敏感 …
CREATE TABLE buyer_attributes (
    buyer_id BLOB NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (buyer_id, key)
);

CREATE TABLE products (
    id               BLOB PRIMARY KEY,
    sku              TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    category         TEXT NOT NULL DEFAULT '',
    price_fen        INTEGER NOT NULL CHECK (price_fen >= 0),
    seven_day_return INTEGER NOT NULL DEFAULT 1,
    care_tips        TEXT NOT NULL DEFAULT '',
    size_advice      TEXT NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX products_by_category ON products (category);

CREATE TABLE product_variants (
    id         BLOB PRIMARY KEY,
    product_id BLOB NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    colour     TEXT NOT NULL DEFAULT '',
    size       TEXT NOT NULL DEFAULT '',
    stock      INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    UNIQUE (product_id, colour, size)
);

-- Related products (关联推荐) and substitutes for sold-out sizes (断码).
CREATE TABLE product_links (
    product_id BLOB NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    other_id   BLOB NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('related', 'substitute')),
    PRIMARY KEY (product_id, kind, other_id)
);

CREATE TABLE orders (
    id               BLOB PRIMARY KEY,
    platform         TEXT NOT NULL CHECK (platform IN ('taobao', 'tmall')),
    order_no         TEXT NOT NULL,
    buyer_id         BLOB NOT NULL REFERENCES buyers (id),
    status           TEXT NOT NULL CHECK (status IN ('created', 'paid', 'shipped', 'signed', 'completed', 'closed')),
    refund_status    TEXT CHECK (refund_status IN ('requested', 'refunded', 'rejected')),
    goods_fen        INTEGER NOT NULL CHECK (goods_fen >= 0),
    shipping_fee_fen INTEGER NOT NULL DEFAULT 0 CHECK (shipping_fee_fen >= 0),
    free_shipping    INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    paid_at          TEXT,
    ship_by          TEXT,
    shipped_at       TEXT,
    signed_at        TEXT,
    completed_at     TEXT,
    closed_at        TEXT,
    updated_at       TEXT NOT NULL,
    UNIQUE (platform, order_no)
);
CREATE INDEX orders_by_buyer ON orders (buyer_id, created_at);
CREATE INDEX orders_by_created ON orders (created_at, id);
CREATE INDEX orders_by_status ON orders (status, created_at, id);
CREATE INDEX orders_by_no ON orders (order_no);

CREATE TABLE order_items (
    id               BLOB PRIMARY KEY,
    order_id         BLOB NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       BLOB REFERENCES products (id) ON DELETE SET NULL,
    sku              TEXT NOT NULL,
    title            TEXT NOT NULL,
    variant          TEXT NOT NULL DEFAULT '',
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_fen   INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    seven_day_return INTEGER NOT NULL DEFAULT 1,
    position         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_items_by_order ON order_items (order_id, position);
CREATE INDEX order_items_by_product ON order_items (product_id);

CREATE TABLE shipments (
    id          BLOB PRIMARY KEY,
    order_id    BLOB NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    courier     TEXT NOT NULL,
    tracking_no TEXT NOT NULL,
    shipped_at  TEXT NOT NULL,
    UNIQUE (courier, tracking_no)
);
CREATE INDEX shipments_by_order ON shipments (order_id);
CREATE INDEX shipments_by_tracking ON shipments (tracking_no);

CREATE TABLE tracking_events (
    id          BLOB PRIMARY KEY,
    shipment_id BLOB NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    UNIQUE (shipment_id, at, status)
);

-- One review per order; a mid/bad review later changed to good is "rescued".
CREATE TABLE reviews (
    id              BLOB PRIMARY KEY,
    order_id        BLOB NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    rating          TEXT NOT NULL CHECK (rating IN ('good', 'mid', 'bad')),
    body            TEXT NOT NULL DEFAULT '',
    first_rating    TEXT NOT NULL CHECK (first_rating IN ('good', 'mid', 'bad')),
    created_at      TEXT NOT NULL,
    changed_at      TEXT
);

-- Tickets (工单). `version` grows on every change so concurrent edits are detected.
CREATE TABLE tickets (
    id                  BLOB PRIMARY KEY,
    number              INTEGER NOT NULL UNIQUE,
    buyer_id            BLOB NOT NULL REFERENCES buyers (id),
    order_id            BLOB REFERENCES orders (id),
    parent_id           BLOB REFERENCES tickets (id),
    subject             TEXT NOT NULL,
    stage               TEXT NOT NULL CHECK (stage IN ('presale', 'insale', 'aftersale')),
    category            TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting_buyer', 'waiting_internal', 'resolved', 'closed')),
    priority            TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    channel             TEXT NOT NULL DEFAULT 'chat',
    assignee_id         BLOB REFERENCES staff (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    last_message_at     TEXT NOT NULL,
    waiting_since       TEXT,
    first_response_at   TEXT,
    first_response_due  TEXT,
    resolution_due      TEXT,
    resolved_at         TEXT,
    outcome             TEXT CHECK (outcome IN ('converted', 'lost')),
    loss_reason         TEXT,
    return_reason       TEXT,
    return_fault        TEXT,
    fee_responsibility  TEXT,
    version             INTEGER NOT NULL DEFAULT 1
);
-- The inbox reads open tickets of one stage ordered by waiting time; the home page counts
-- open tickets per stage. Both use this index without touching closed tickets' rows.
CREATE INDEX tickets_inbox ON tickets (stage, status, waiting_since);
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status);
CREATE INDEX tickets_by_buyer ON tickets (buyer_id, created_at);
CREATE INDEX tickets_by_order ON tickets (order_id);
CREATE INDEX tickets_by_parent ON tickets (parent_id);

CREATE TABLE ticket_messages (
    id          BLOB PRIMARY KEY,
    ticket_id   BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author_kind TEXT NOT NULL CHECK (author_kind IN ('buyer', 'staff', 'system')),
    staff_id    BLOB REFERENCES staff (id),
    body        TEXT NOT NULL,
    internal    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, created_at);

-- Audit trail: who changed what on a ticket, and when.
CREATE TABLE ticket_events (
    id         BLOB PRIMARY KEY,
    ticket_id  BLOB NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    staff_id   BLOB REFERENCES staff (id),
    kind       TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, created_at);

-- Canned replies (快捷短语). owner_id NULL = shared by the team; otherwise personal.
CREATE TABLE canned_replies (
    id           BLOB PRIMARY KEY,
    grp          TEXT NOT NULL,
    stage        TEXT NOT NULL DEFAULT 'any' CHECK (stage IN ('presale', 'insale', 'aftersale', 'any')),
    title        TEXT NOT NULL,
    shortcut     TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL,
    owner_id     BLOB REFERENCES staff (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL DEFAULT 0,
    usage_count  INTEGER NOT NULL DEFAULT 0,
    last_used_at TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX canned_replies_by_group ON canned_replies (grp, position);

CREATE TABLE kb_articles (
    id         BLOB PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('practical', 'reserve')),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    product_id BLOB REFERENCES products (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX kb_articles_by_product ON kb_articles (product_id);

-- Relationship-care campaigns and the outbox of messages to buyers (shipping notices,
-- knowledge push, birthday greetings …) with their delivery state.
CREATE TABLE campaigns (
    id           BLOB PRIMARY KEY,
    name         TEXT NOT NULL,
    template     TEXT NOT NULL,
    segment      TEXT NOT NULL DEFAULT '{}',
    scheduled_at TEXT,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sent', 'cancelled')),
    created_at   TEXT NOT NULL
);

CREATE TABLE outbox (
    id          BLOB PRIMARY KEY,
    buyer_id    BLOB NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    campaign_id BLOB REFERENCES campaigns (id) ON DELETE SET NULL,
    ticket_id   BLOB REFERENCES tickets (id) ON DELETE SET NULL,
    order_id    BLOB REFERENCES orders (id) ON DELETE SET NULL,
    channel     TEXT NOT NULL DEFAULT 'chat',
    reason      TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_pending ON outbox (status, created_at);

-- Full-text search over Chinese and Latin text. Kefu tokenises text itself (CJK bigrams plus
-- Latin words, see domain::search) and stores the space-separated tokens; FTS5 only indexes
-- them. search_docs maps a stable integer rowid to the document (kind + id), because a table
-- with a BLOB primary key may renumber its implicit rowids on VACUUM.
CREATE TABLE search_docs (
    rowid  INTEGER PRIMARY KEY,
    kind   TEXT NOT NULL,
    doc_id BLOB NOT NULL,
    UNIQUE (kind, doc_id)
);
CREATE VIRTUAL TABLE search_fts USING fts5 (tokens, content = '', contentless_delete = 1, tokenize = 'unicode61');
