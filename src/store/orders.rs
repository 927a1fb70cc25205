//! Orders with their items, shipments, tracking events and reviews.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::confirm::ConfirmStatus;
use crate::domain::order::{MemoFlag, OrderTimes};
use crate::domain::returns::RefundStatus;
use crate::domain::{OrderStatus, Platform, Rating};
use crate::{exec_tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Order {
    pub id: Uuid,
    pub platform: Platform,
    pub order_no: String,
    pub buyer_id: Uuid,
    pub status: OrderStatus,
    pub refund_status: Option<RefundStatus>,
    pub refund_fen: Option<i64>,
    pub refund_deadline: Option<DateTime<Utc>>,
    pub goods_fen: i64,
    pub shipping_fee_fen: i64,
    pub free_shipping: bool,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub times: OrderTimes,
    pub updated_at: DateTime<Utc>,
    pub receiver_name: String,
    pub receiver_phone: String,
    pub receiver_address: String,
    pub seller_memo: String,
    pub memo_flag: Option<MemoFlag>,
    /// 核对: where the confirmation sent after payment stands (None: none was sent).
    pub confirm_status: Option<ConfirmStatus>,
}

impl Order {
    pub fn total_fen(&self) -> i64 {
        self.goods_fen + self.shipping_fee_fen
    }
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct OrderItem {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Option<Uuid>,
    pub sku: String,
    pub title: String,
    pub variant: String,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub seven_day_return: bool,
}

impl OrderItem {
    pub fn line_fen(&self) -> i64 {
        self.quantity * self.unit_price_fen
    }
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Shipment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub courier: String,
    pub tracking_no: String,
    pub shipped_at: DateTime<Utc>,
}

#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct TrackingEvent {
    pub shipment_id: Uuid,
    pub at: DateTime<Utc>,
    pub place: String,
    pub status: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct Review {
    pub rating: Rating,
    pub first_rating: Rating,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// An order row in a list, with the buyer's nick.
#[derive(Debug, Clone, FromRow)]
pub struct OrderRow {
    #[sqlx(flatten)]
    pub order: Order,
    pub buyer_nick: String,
    pub item_count: i64,
}

/// The columns an [`Order`] is read from (table alias `o`).
pub(crate) const COLUMNS: &str = "o.id, o.platform, o.order_no, o.buyer_id, o.status, o.refund_status, o.goods_fen,
    o.shipping_fee_fen, o.free_shipping, o.created_at, o.paid_at, o.ship_by, o.shipped_at, o.signed_at,
    o.completed_at, o.closed_at, o.updated_at, o.receiver_name, o.receiver_phone, o.receiver_address,
    o.refund_fen, o.refund_deadline, o.seller_memo, o.memo_flag, o.confirm_status";
/// The boolean columns of [`COLUMNS`].
pub(crate) const ORDER_BOOLS: &[&str] = &["free_shipping"];

pub struct NewOrder<'a> {
    pub platform: Platform,
    pub order_no: &'a str,
    pub buyer_id: Uuid,
    pub status: OrderStatus,
    pub free_shipping: bool,
    pub shipping_fee_fen: i64,
    pub times: OrderTimes,
    pub receiver: Receiver<'a>,
    pub refund: Refund,
    /// The seller memo as the platform has it; None keeps the one stored (the desk edits it).
    pub memo: Option<(&'a str, Option<MemoFlag>)>,
}

/// The refund as the platform reports it; the platform is its source of truth, so an order
/// sent without one has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refund {
    pub status: Option<RefundStatus>,
    pub fen: Option<i64>,
    pub deadline: Option<DateTime<Utc>>,
}

/// Who the parcel goes to (收件人).
#[derive(Debug, Clone, Copy, Default)]
pub struct Receiver<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
}

#[derive(Debug, Clone, Copy)]
pub struct NewItem<'a> {
    pub product_id: Option<Uuid>,
    pub sku: &'a str,
    pub title: &'a str,
    pub variant: &'a str,
    pub quantity: i64,
    pub unit_price_fen: i64,
    pub seven_day_return: bool,
}

/// Inserts a new order (demo data, tests); see [`upsert`].
pub async fn insert(tx: &mut Tx, o: &NewOrder<'_>, items: &[NewItem<'_>], now: DateTime<Utc>) -> StoreResult<Uuid> {
    Ok(upsert(tx, o, items, now).await?.0)
}

async fn insert_items(tx: &mut Tx, order_id: Uuid, items: &[NewItem<'_>]) -> StoreResult<()> {
    for (pos, it) in items.iter().enumerate() {
        exec_tx!(tx, c => sqlx::query(
            "INSERT INTO order_items (id, order_id, product_id, sku, title, variant, quantity, unit_price_fen, seven_day_return, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(super::new_id()).bind(order_id).bind(it.product_id).bind(it.sku).bind(it.title)
            .bind(it.variant).bind(it.quantity).bind(it.unit_price_fen).bind(it.seven_day_return)
            .bind(pos as i64).execute(c).await)?;
    }
    Ok(())
}

/// Inserts the order (the goods amount is the sum of the item lines), or updates the one
/// with the same platform and number (items are replaced). Returns its id and whether it was new. Concurrent calls for one order number
/// make one row: the second insert waits for the first and then updates.
pub async fn upsert(
    tx: &mut Tx, o: &NewOrder<'_>, items: &[NewItem<'_>], now: DateTime<Utc>,
) -> StoreResult<(Uuid, bool)> {
    let id = super::new_id();
    let goods: i64 = items.iter().map(|i| i.quantity * i.unit_price_fen).sum();
    let inserted = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO orders (id, platform, order_no, buyer_id, status, goods_fen, shipping_fee_fen, free_shipping,
            created_at, paid_at, ship_by, shipped_at, signed_at, completed_at, closed_at, updated_at,
            receiver_name, receiver_phone, receiver_address, refund_status, refund_fen, refund_deadline,
            seller_memo, memo_flag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
            $22, $23, $24)
         ON CONFLICT (platform, order_no) DO NOTHING")
        .bind(id).bind(o.platform).bind(o.order_no).bind(o.buyer_id).bind(o.status).bind(goods)
        .bind(o.shipping_fee_fen).bind(o.free_shipping).bind(o.times.created_at).bind(o.times.paid_at)
        .bind(o.times.ship_by).bind(o.times.shipped_at).bind(o.times.signed_at).bind(o.times.completed_at)
        .bind(o.times.closed_at)
        .bind(now).bind(o.receiver.name).bind(o.receiver.phone).bind(o.receiver.address)
        .bind(o.refund.status).bind(o.refund.fen).bind(o.refund.deadline)
        .bind(o.memo.map_or("", |m| m.0)).bind(o.memo.and_then(|m| m.1)).execute(c).await)?;
    if inserted == 1 {
        insert_items(tx, id, items).await?;
        super::search::index(tx, super::search::DocKind::Order, id, o.order_no).await?;
        super::buyers::refresh_value(tx, o.buyer_id).await?;
        super::reports::link_buyer(tx, o.buyer_id).await?;
        return Ok((id, true));
    }
    // The order may move to another buyer (a platform correction): both buyers' figures change.
    let (before, created_before): (Uuid, DateTime<Utc>) = on_tx!(tx, c => sqlx::query_as(
        "SELECT buyer_id, created_at FROM orders WHERE platform = $1 AND order_no = $2")
        .bind(o.platform).bind(o.order_no).fetch_one(c).await)?;
    let (id,): (Uuid,) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE orders SET buyer_id = $3, status = $4, goods_fen = $5, shipping_fee_fen = $6, free_shipping = $7,
            created_at = $8, paid_at = $9, ship_by = $10, shipped_at = $11, signed_at = $12, completed_at = $13,
            closed_at = $14, updated_at = $15, receiver_name = $16, receiver_phone = $17, receiver_address = $18,
            refund_status = $19, refund_fen = $20, refund_deadline = $21,
            seller_memo = CASE WHEN $22 THEN $23 ELSE seller_memo END,
            memo_flag = CASE WHEN $22 THEN $24 ELSE memo_flag END
         WHERE platform = $1 AND order_no = $2 RETURNING id")
        .bind(o.platform).bind(o.order_no).bind(o.buyer_id).bind(o.status).bind(goods)
        .bind(o.shipping_fee_fen).bind(o.free_shipping).bind(o.times.created_at).bind(o.times.paid_at)
        .bind(o.times.ship_by).bind(o.times.shipped_at).bind(o.times.signed_at).bind(o.times.completed_at)
        .bind(o.times.closed_at)
        .bind(now).bind(o.receiver.name).bind(o.receiver.phone).bind(o.receiver.address)
        .bind(o.refund.status).bind(o.refund.fen).bind(o.refund.deadline)
        .bind(o.memo.is_some()).bind(o.memo.map_or("", |m| m.0)).bind(o.memo.and_then(|m| m.1))
        .fetch_one(c).await)?;
    exec_tx!(tx, c => sqlx::query("DELETE FROM order_items WHERE order_id = $1").bind(id).execute(c).await)?;
    insert_items(tx, id, items).await?;
    super::buyers::refresh_value(tx, o.buyer_id).await?;
    // The inquiry links depend on the order's buyer and time only: a status update (the
    // usual sync) leaves them as they are.
    if before != o.buyer_id || created_before != o.times.created_at {
        super::reports::link_buyer(tx, o.buyer_id).await?;
    }
    if before != o.buyer_id {
        super::buyers::refresh_value(tx, before).await?;
        super::reports::link_buyer(tx, before).await?;
    }
    Ok((id, false))
}

pub async fn by_no(db: &Db, platform: Platform, order_no: &str) -> StoreResult<Option<Order>> {
    let sql = format!("SELECT {COLUMNS} FROM orders o WHERE o.platform = $1 AND o.order_no = $2");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(platform).bind(order_no).fetch_optional(p).await)?)
}

/// Records a shipment (once per courier and tracking number) and moves a paid order to
/// shipped. Returns the shipment id.
pub async fn upsert_shipment(
    tx: &mut Tx, order_id: Uuid, courier: &str, tracking_no: &str, shipped_at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO shipments (id, order_id, courier, tracking_no, shipped_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (courier, tracking_no) DO NOTHING")
        .bind(super::new_id()).bind(order_id).bind(courier).bind(tracking_no).bind(shipped_at).execute(c).await)?;
    let (id, owner): (Uuid, Uuid) = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, order_id FROM shipments WHERE courier = $1 AND tracking_no = $2")
        .bind(courier).bind(tracking_no).fetch_one(c).await)?;
    if owner != order_id {
        return Err(super::StoreError::Duplicate("tracking number belongs to another order".into()));
    }
    reindex_order(tx, order_id).await?;
    exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET status = 'shipped', shipped_at = COALESCE(shipped_at, $2), updated_at = $2
         WHERE id = $1 AND status IN ('created', 'paid')")
        .bind(order_id).bind(shipped_at).execute(c).await)?;
    Ok(id)
}

/// Sets the order's review. Returns the rating it had before (None for a first review).
pub async fn upsert_review(
    tx: &mut Tx, order_id: Uuid, rating: Rating, body: &str, at: DateTime<Utc>,
) -> StoreResult<Option<Rating>> {
    let before: Option<(Rating,)> = on_tx!(tx, c => sqlx::query_as("SELECT rating FROM reviews WHERE order_id = $1")
        .bind(order_id).fetch_optional(c).await)?;
    match before {
        None => insert_review(tx, order_id, rating, rating, body, at, None).await?,
        Some((old,)) => {
            exec_tx!(tx, c => sqlx::query(
                "UPDATE reviews SET rating = $2, body = $3, changed_at = CASE WHEN rating = $2 THEN changed_at ELSE $4 END
                 WHERE order_id = $1")
                .bind(order_id).bind(rating).bind(body).bind(at).execute(c).await)?;
            return Ok(Some(old));
        }
    }
    Ok(None)
}

/// The order's number and tracking numbers, as the search index holds them.
pub async fn reindex_order(tx: &mut Tx, order_id: Uuid) -> StoreResult<()> {
    let (no,): (String,) =
        on_tx!(tx, c => sqlx::query_as("SELECT order_no FROM orders WHERE id = $1").bind(order_id).fetch_one(c).await)?;
    let tracking: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT tracking_no FROM shipments WHERE order_id = $1")
        .bind(order_id).fetch_all(c).await)?;
    let text = std::iter::once(no).chain(tracking.into_iter().map(|t| t.0)).collect::<Vec<_>>().join(" ");
    super::search::index(tx, super::search::DocKind::Order, order_id, &text).await
}

pub async fn insert_tracking_event(
    tx: &mut Tx, shipment_id: Uuid, at: DateTime<Utc>, place: &str, status: &str,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO tracking_events (id, shipment_id, at, place, status) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (shipment_id, at, status) DO NOTHING")
        .bind(super::new_id()).bind(shipment_id).bind(at).bind(place).bind(status).execute(c).await)?;
    Ok(())
}

pub async fn insert_review(
    tx: &mut Tx, order_id: Uuid, rating: Rating, first: Rating, body: &str, at: DateTime<Utc>,
    changed_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO reviews (id, order_id, rating, first_rating, body, created_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(super::new_id()).bind(order_id).bind(rating).bind(first).bind(body).bind(at).bind(changed_at)
        .execute(c).await)?;
    Ok(())
}

/// An order by id, from the pool or inside a transaction.
pub async fn by_id(on: impl Into<super::Exec<'_>>, id: Uuid) -> StoreResult<Option<Order>> {
    let sql = by_id_sql();
    Ok(crate::on_exec!(on.into(), c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

fn by_id_sql() -> String {
    format!("SELECT {COLUMNS} FROM orders o WHERE o.id = $1")
}

/// An order, its items and its parcel's latest news, as parts of a combined read.
pub(crate) fn card_parts(id: Uuid) -> [super::json_rows::Part<'static>; 3] {
    use super::json_rows::Part;
    [
        Part::new(by_id_sql(), id).with_bools(ORDER_BOOLS),
        Part::new(ITEMS, id).with_bools(&["seven_day_return"]),
        Part::new(LAST_EVENT, id),
    ]
}

/// Filters of the orders list.
#[derive(Debug, Default, Clone)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    /// Order number or tracking number prefix, or a buyer nick.
    pub query: Option<String>,
}

/// Keyset cursor for the orders list: (created_at, id) of the last row shown.
pub type OrderCursor = (DateTime<Utc>, Uuid);

/// One page of orders, newest first.
pub async fn page(db: &Db, f: &OrderFilter, before: Option<OrderCursor>, limit: i64) -> StoreResult<Vec<OrderRow>> {
    let (before_at, before_id) = before.map_or((None, None), |(a, i)| (Some(a), Some(i)));
    // A prefix range instead of LIKE: it uses the index on both backends, and user text is
    // never interpreted as a pattern.
    let (lo, hi) = match &f.query {
        Some(q) => (Some(q.clone()), Some(format!("{q}\u{10FFFF}"))),
        None => (None, None),
    };
    let sql = format!(
        "SELECT {COLUMNS}, b.nick AS buyer_nick,
            (SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id) AS item_count
         FROM orders o JOIN buyers b ON b.id = o.buyer_id
         WHERE ($1 IS NULL OR o.status = $1)
           AND ($2 IS NULL OR (o.created_at, o.id) < ($2, $3))
           AND ($4 IS NULL
                OR (o.order_no >= $4 AND o.order_no < $5)
                OR o.id IN (SELECT s.order_id FROM shipments s WHERE s.tracking_no >= $4 AND s.tracking_no < $5)
                OR b.nick = $4)
         ORDER BY o.created_at DESC, o.id DESC LIMIT $6"
    );
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql)
        .bind(f.status).bind(before_at).bind(before_id).bind(lo).bind(hi).bind(limit)
        .fetch_all(p).await)?)
}

/// How many of a buyer's orders their profile lists (the ticket page's panel, the buyer
/// page), newest first.
pub const BUYER_ORDERS: u32 = 100;

fn for_buyer_sql() -> String {
    format!("SELECT {COLUMNS} FROM orders o WHERE o.buyer_id = $1 ORDER BY o.created_at DESC LIMIT {BUYER_ORDERS}")
}

pub async fn for_buyer(db: &Db, buyer_id: Uuid) -> StoreResult<Vec<Order>> {
    let sql = for_buyer_sql();
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).fetch_all(p).await)?)
}

/// [`for_buyer`] as a part of a combined read.
pub(crate) fn for_buyer_part(buyer_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(for_buyer_sql(), buyer_id).with_bools(ORDER_BOOLS)
}

/// An order's items, from the pool or inside a transaction.
const ITEMS: &str = "SELECT id, order_id, product_id, sku, title, variant, quantity, unit_price_fen, seven_day_return
    FROM order_items WHERE order_id = $1 ORDER BY position";

pub async fn items(on: impl Into<super::Exec<'_>>, order_id: Uuid) -> StoreResult<Vec<OrderItem>> {
    Ok(crate::on_exec!(on.into(), p => sqlx::query_as(ITEMS).bind(order_id).fetch_all(p).await)?)
}

pub async fn shipments(db: &Db, order_id: Uuid) -> StoreResult<Vec<Shipment>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id, order_id, courier, tracking_no, shipped_at FROM shipments WHERE order_id = $1 ORDER BY shipped_at")
        .bind(order_id).fetch_all(p).await)?)
}

/// Sets the seller memo and its flag. Returns false when there is no such order.
pub async fn set_memo(
    tx: &mut Tx, order_id: Uuid, memo: &str, flag: Option<MemoFlag>, now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET seller_memo = $2, memo_flag = $3, updated_at = $4 WHERE id = $1")
        .bind(order_id).bind(memo).bind(flag).bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// Marks an order's confirmation as sent (待核对), unless it was answered already.
pub async fn confirm_sent(tx: &mut Tx, order_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET confirm_status = 'pending', confirm_sent_at = $2 WHERE id = $1 AND confirm_status IS NULL")
        .bind(order_id).bind(now).execute(c).await)?;
    Ok(())
}

/// A confirmation the buyer may still answer: its order, where it stands and when it went out.
#[derive(Debug, Clone, FromRow)]
pub struct OpenConfirmation {
    pub order_id: Uuid,
    pub order_no: String,
    pub status: ConfirmStatus,
    pub sent_at: DateTime<Utc>,
}

/// The buyer's latest paid, unshipped order whose confirmation was sent and not corrected
/// yet (after shipping the warehouse can change nothing). The condition is the partial
/// index's predicate, so it reads only such orders.
pub async fn open_confirmation(tx: &mut Tx, buyer_id: Uuid) -> StoreResult<Option<OpenConfirmation>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT o.id AS order_id, o.order_no, o.confirm_status AS status, o.confirm_sent_at AS sent_at FROM orders o
         WHERE o.buyer_id = $1 AND o.status = 'paid' AND o.confirm_status IN ('pending', 'confirmed')
           AND o.confirm_sent_at IS NOT NULL
         ORDER BY o.paid_at DESC LIMIT 1")
        .bind(buyer_id).fetch_optional(c).await)?)
}

/// Records the buyer's answer while the order is paid and open to one; false when it is not
/// (shipped meanwhile, or already in that state), so two answers at once settle it once.
pub async fn answer_confirmation(
    tx: &mut Tx, order_id: Uuid, to: ConfirmStatus, now: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET confirm_status = $2, confirmed_at = $3, updated_at = $3
         WHERE id = $1 AND status = 'paid' AND confirm_status IN ('pending', 'confirmed') AND confirm_status <> $2")
        .bind(order_id).bind(to).bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// An agent marks the order confirmed; false when it is no longer paid (shipped meanwhile).
pub async fn mark_confirmed(tx: &mut Tx, order_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET confirm_status = 'confirmed', confirmed_at = $2, updated_at = $2
         WHERE id = $1 AND status = 'paid'")
        .bind(order_id).bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// Sets the platform's refund state of an order (the demo shop; the API sets it with the order).
pub async fn set_refund(tx: &mut Tx, order_id: Uuid, r: Refund) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE orders SET refund_status = $2, refund_fen = $3, refund_deadline = $4 WHERE id = $1")
        .bind(order_id).bind(r.status).bind(r.fen).bind(r.deadline).execute(c).await)?;
    Ok(())
}

/// The latest tracking event of the order's parcels, with the parcel (the order card).
const LAST_EVENT: &str = "SELECT e.shipment_id, e.at, e.place, e.status FROM shipments s
    JOIN tracking_events e ON e.shipment_id = s.id WHERE s.order_id = $1 ORDER BY e.at DESC LIMIT 1";

pub async fn last_event(db: &Db, order_id: Uuid) -> StoreResult<Option<TrackingEvent>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(LAST_EVENT).bind(order_id).fetch_optional(p).await)?)
}

/// Tracking events of all shipments of an order, newest first.
pub async fn tracking_events(db: &Db, order_id: Uuid) -> StoreResult<Vec<TrackingEvent>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT e.shipment_id, e.at, e.place, e.status FROM tracking_events e
         JOIN shipments s ON s.id = e.shipment_id WHERE s.order_id = $1 ORDER BY e.at DESC")
        .bind(order_id).fetch_all(p).await)?)
}

pub async fn review(on: impl Into<super::Exec<'_>>, order_id: Uuid) -> StoreResult<Option<Review>> {
    Ok(crate::on_exec!(on.into(), c => sqlx::query_as(
        "SELECT rating, first_rating, body, created_at, changed_at FROM reviews WHERE order_id = $1")
        .bind(order_id).fetch_optional(c).await)?)
}

/// The parcels of the orders [`for_buyer`] lists, oldest first (a page shows each order's
/// latest). Only those orders': a buyer who ordered a thousand times would otherwise have every
/// parcel read on each of their ticket pages, for orders the panel does not show.
pub(crate) fn buyer_shipments_sql() -> String {
    format!(
        "SELECT s.id, s.order_id, s.courier, s.tracking_no, s.shipped_at
         FROM (SELECT o.id FROM orders o WHERE o.buyer_id = $1 ORDER BY o.created_at DESC LIMIT {BUYER_ORDERS}) o
         JOIN shipments s ON s.order_id = o.id ORDER BY s.shipped_at"
    )
}

/// The parcels of a buyer's listed orders ([`buyer_shipments_sql`]).
pub async fn buyer_shipments(db: &Db, buyer_id: Uuid) -> StoreResult<Vec<Shipment>> {
    let sql = buyer_shipments_sql();
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).fetch_all(p).await)?)
}

/// The buyer's order with this number (on any platform), with its status.
pub async fn of_buyer_by_no(tx: &mut Tx, buyer_id: Uuid, order_no: &str) -> StoreResult<Option<(Uuid, OrderStatus)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, status FROM orders WHERE buyer_id = $1 AND order_no = $2 ORDER BY created_at DESC LIMIT 1")
        .bind(buyer_id).bind(order_no).fetch_optional(c).await)?)
}

/// What canned-reply variables need from an order: first item title and latest shipment.
pub async fn reply_facts(db: &Db, order_id: Uuid) -> StoreResult<(Option<String>, Option<(String, String)>)> {
    let item: Option<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT title FROM order_items WHERE order_id = $1 ORDER BY position LIMIT 1")
        .bind(order_id).fetch_optional(p).await)?;
    let ship: Option<(String, String)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT courier, tracking_no FROM shipments WHERE order_id = $1 ORDER BY shipped_at DESC LIMIT 1")
        .bind(order_id).fetch_optional(p).await)?;
    Ok((item.map(|i| i.0), ship))
}

/// Courier and tracking number of the order's latest shipment.
pub async fn latest_shipment_tx(tx: &mut Tx, order_id: Uuid) -> StoreResult<Option<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT courier, tracking_no FROM shipments WHERE order_id = $1 ORDER BY shipped_at DESC LIMIT 1")
        .bind(order_id).fetch_optional(c).await)?)
}

/// (item title, care tips) for the order's products that have tips, one per product.
pub async fn care_tips_tx(tx: &mut Tx, order_id: Uuid) -> StoreResult<Vec<(String, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT MIN(p.title), p.care_tips FROM order_items i JOIN products p ON p.id = i.product_id
         WHERE i.order_id = $1 AND p.care_tips <> '' GROUP BY p.id, p.care_tips ORDER BY MIN(i.position)")
        .bind(order_id).fetch_all(c).await)?)
}

/// An order a buyer may prove with its receiver phone: (order id, buyer id, receiver phone)
/// of each order with this number (one per platform at most).
pub async fn by_no_for_proof(tx: &mut Tx, order_no: &str) -> StoreResult<Vec<(Uuid, Uuid, String)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT id, buyer_id, receiver_phone FROM orders WHERE order_no = $1 ORDER BY created_at DESC LIMIT 2")
        .bind(order_no).fetch_all(c).await)?)
}
