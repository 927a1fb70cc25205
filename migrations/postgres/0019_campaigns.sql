-- Customer care campaigns (issue 12): buyer profiles by API, saved segments, message
-- templates, campaigns and one send row per buyer per run.
--
-- A buyer who asked not to be contacted is never sent a campaign message (checked again at
-- send time, so an opt-out after scheduling is honoured).
ALTER TABLE buyers ADD COLUMN opted_out BOOLEAN NOT NULL DEFAULT FALSE;
-- Birthday segments look buyers up by month and day (month × 100 + day), whatever the year.
CREATE INDEX buyers_by_birthday ON buyers ((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))) WHERE birthday IS NOT NULL;

-- What a buyer's paid orders add up to (paid, not closed), kept with every order write so a
-- segment over 200k buyers reads one row per buyer instead of their orders.
ALTER TABLE buyers ADD COLUMN paid_orders BIGINT NOT NULL DEFAULT 0;
ALTER TABLE buyers ADD COLUMN spent_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE buyers ADD COLUMN last_paid_at TIMESTAMPTZ;
UPDATE buyers SET
    paid_orders = (SELECT COUNT(*) FROM orders o WHERE o.buyer_id = buyers.id AND o.paid_at IS NOT NULL AND o.status <> 'closed'),
    spent_fen = (SELECT CAST(COALESCE(SUM(o.goods_fen + o.shipping_fee_fen), 0) AS BIGINT) FROM orders o
                 WHERE o.buyer_id = buyers.id AND o.paid_at IS NOT NULL AND o.status <> 'closed'),
    last_paid_at = (SELECT MAX(o.paid_at) FROM orders o WHERE o.buyer_id = buyers.id AND o.paid_at IS NOT NULL AND o.status <> 'closed')
WHERE EXISTS (SELECT 1 FROM orders o WHERE o.buyer_id = buyers.id);
CREATE INDEX buyers_by_last_paid ON buyers (last_paid_at) WHERE last_paid_at IS NOT NULL;
-- The common segment (members of some levels who bought lately) counted from the index alone.
CREATE INDEX buyers_care ON buyers (member_level, last_paid_at) WHERE NOT opted_out AND claimed_nick IS NULL;

-- A saved filter over buyers; `filter` is the segment's JSON (domain::segment::Segment).
CREATE TABLE segments (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    filter     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A message with variables ({买家}, {店铺}, {会员等级}, {生日}), checked when saved.
CREATE TABLE message_templates (
    id         UUID PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    body       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The placeholder campaigns table of 0001 held nothing; a campaign now keeps its segment and
-- template as they were when it was created (editing a saved segment later does not change
-- who an already scheduled campaign reaches).
DROP TABLE campaigns CASCADE;
CREATE TABLE campaigns (
    id          UUID PRIMARY KEY,
    name        TEXT NOT NULL,
    segment     TEXT NOT NULL,
    template    TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('outbox', 'webhook', 'email')),
    -- 'once' runs at next_run_at; 'daily' runs every day at daily_at (HH:MM, shop time).
    schedule    TEXT NOT NULL CHECK (schedule IN ('once', 'daily')),
    daily_at    TEXT,
    state       TEXT NOT NULL CHECK (state IN ('scheduled', 'sending', 'done', 'cancelled')),
    next_run_at TIMESTAMPTZ,
    -- When its latest run started.
    last_run_at TIMESTAMPTZ,
    -- The run being sent: its key (the shop date of a daily run, 'once' otherwise).
    run_key     TEXT,
    created_by  UUID REFERENCES staff (id),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- The scheduler reads campaigns due to start a run.
CREATE INDEX campaigns_due ON campaigns (next_run_at) WHERE state = 'scheduled';
-- The rounds end the runs that are sending.
CREATE INDEX campaigns_sending ON campaigns (id) WHERE state = 'sending';
CREATE INDEX campaigns_by_created ON campaigns (created_at, id);

-- One row per buyer per campaign run: the primary key is what makes a send happen once,
-- whatever crashes or how many instances race. A row is claimed with a lease, delivered,
-- then marked; a failed delivery is retried with backoff until it is failed for good.
CREATE TABLE campaign_sends (
    campaign_id     UUID NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    run_key         TEXT NOT NULL,
    buyer_id        UUID NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'failed', 'opted_out', 'call_task')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_owner     UUID,
    lease_until     TIMESTAMPTZ,
    error           TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    done_at         TIMESTAMPTZ,
    PRIMARY KEY (campaign_id, run_key, buyer_id)
);
CREATE INDEX campaign_sends_due ON campaign_sends (next_attempt_at) WHERE state = 'pending';
CREATE INDEX campaign_sends_by_state ON campaign_sends (campaign_id, state, run_key);
-- The per-channel rate limit counts what was delivered in the last minute.
CREATE INDEX campaign_sends_recent ON campaign_sends (done_at) WHERE state = 'sent';
CREATE INDEX outbox_by_campaign ON outbox (buyer_id, created_at) WHERE campaign_id IS NOT NULL;
-- Attribute survey links (属性搜集): one row per link; answering sets answered_at once, so a
-- link works once. A campaign's link is keyed by its send, so a retried delivery carries the
-- same link.
CREATE TABLE survey_links (
    id          UUID PRIMARY KEY,
    buyer_id    UUID NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    campaign_id UUID REFERENCES campaigns (id) ON DELETE SET NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ
);
CREATE INDEX survey_links_by_buyer ON survey_links (buyer_id);
-- DROP … CASCADE took the outbox's reference to the old table with it.
ALTER TABLE outbox ADD CONSTRAINT outbox_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns (id) ON DELETE SET NULL;
