-- The current order beside the chat (issue 13): the platform's refund state with its amount
-- and deadline, the seller memo (卖家备注) with its flag colour, and each agent's use of the
-- canned replies.

-- The platform's refund states, as Taobao names them: requested (买家申请，待卖家处理), agreed
-- (卖家同意，待买家退货), returning (买家已退货，待卖家收货), refunded (退款成功), rejected
-- (卖家拒绝) and closed (退款关闭).
ALTER TABLE orders DROP CONSTRAINT orders_refund_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_refund_status_check
    CHECK (refund_status IN ('requested', 'agreed', 'returning', 'refunded', 'rejected', 'closed'));
ALTER TABLE orders ADD COLUMN refund_fen BIGINT CHECK (refund_fen >= 0);
-- The time the platform gives the seller to act (超时自动退款 / 自动关闭).
ALTER TABLE orders ADD COLUMN refund_deadline TIMESTAMPTZ;

-- 卖家备注: written by the shop, never shown to the buyer; the flag is the platform's colour.
ALTER TABLE orders ADD COLUMN seller_memo TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN memo_flag TEXT CHECK (memo_flag IN ('red', 'yellow', 'green', 'blue', 'purple'));

-- How often and when each agent used each canned reply: the "/" picker ranks the agent's
-- own habits above the shop's.
CREATE TABLE canned_usage (
    staff_id     UUID NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    reply_id     UUID NOT NULL REFERENCES canned_replies (id) ON DELETE CASCADE,
    uses         BIGINT NOT NULL DEFAULT 0,
    last_used_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (staff_id, reply_id)
);
