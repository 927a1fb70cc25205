//! Orders from the platform: intake (products, orders, shipments, reviews) with the checks
//! that keep bad data out, and the platform rules applied to an order.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::{FieldError, Page, ServiceError, ServiceResult};
use crate::domain::order::{MEMO_MAX_CHARS, MemoFlag, OrderTimes};
use crate::domain::rules::{self, DelayedShipment, ReturnReason, ReturnShipping, ReturnWindow};
use crate::domain::{ErrorCode, OrderStatus, Platform, Rating, Settings};
use crate::store::orders::{NewOrder, OrderFilter, Refund};
use crate::store::{self, Db};

pub use crate::store::buyers::{Buyer, ProfileFields};
pub use crate::store::catalog::NewProduct;
pub use crate::store::orders::{NewItem, Receiver};
pub use crate::store::orders::{Order, OrderItem, OrderRow, Review, Shipment, TrackingEvent};
pub use crate::store::tickets::TicketSummary;

/// Parses a platform or status, recording a field error.
fn parse<T: std::str::FromStr>(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<T> {
    match text.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(FieldError::new(field, ErrorCode::Invalid));
            None
        }
    }
}

fn check_text(value: &str, field: &'static str, max: usize, required: bool, errors: &mut Vec<FieldError>) {
    if required && value.trim().is_empty() {
        errors.push(FieldError::new(field, ErrorCode::Required));
    } else if value.chars().count() > max {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    }
}

/// A product as the platform sends it: its fields, variants (colour, size, stock) and the
/// SKUs of related products.
pub struct ProductIn<'a> {
    pub product: NewProduct<'a>,
    pub variants: Vec<(&'a str, &'a str, i64)>,
    pub related: Vec<&'a str>,
}

pub async fn upsert_product(db: &Db, input: &ProductIn<'_>, now: DateTime<Utc>) -> ServiceResult<(Uuid, bool)> {
    let p = &input.product;
    let mut errors = Vec::new();
    check_text(p.sku, "sku", 64, true, &mut errors);
    check_text(p.title, "title", 200, true, &mut errors);
    check_text(p.category, "category", 40, false, &mut errors);
    check_text(p.care_tips, "care_tips", 5000, false, &mut errors);
    if p.price_fen < 0 {
        errors.push(FieldError::new("price_fen", ErrorCode::Negative));
    }
    for (i, (colour, size, stock)) in input.variants.iter().enumerate() {
        if *stock < 0 {
            errors.push(FieldError::new(format!("variants[{i}].stock"), ErrorCode::Negative));
        }
        if colour.chars().count() > 40 || size.chars().count() > 40 {
            errors.push(FieldError::new(format!("variants[{i}]"), ErrorCode::TooLong));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    let new = NewProduct { sku: p.sku.trim(), title: p.title.trim(), category: p.category.trim(), ..*p };
    let out = store::catalog::upsert_product(&mut tx, &new, &input.variants, &input.related, now).await?;
    tx.commit().await?;
    store::products::forget(db);
    Ok(out)
}

/// The buyer block of an order: the nick, and what the platform knows of them.
pub struct BuyerIn<'a> {
    pub nick: &'a str,
    pub profile: ProfileFields<'a>,
}

/// An order as the platform sends it (platform and status still as text).
pub struct OrderIn<'a> {
    pub platform: &'a str,
    pub order_no: &'a str,
    pub buyer: BuyerIn<'a>,
    /// The lines as sent; the product is found by SKU here.
    pub items: Vec<NewItem<'a>>,
    pub free_shipping: bool,
    pub shipping_fee_fen: i64,
    pub status: &'a str,
    pub times: OrderTimes,
    /// Who the parcel goes to; None when the platform did not say: then the buyer, as their
    /// profile names them.
    pub receiver: Option<Receiver<'a>>,
    pub refund: RefundIn<'a>,
    /// The seller memo and its flag colour as the platform has them; None keeps the stored one.
    pub memo: Option<(&'a str, Option<&'a str>)>,
}

/// The refund as the platform sends it (state still as text).
#[derive(Debug, Clone, Copy, Default)]
pub struct RefundIn<'a> {
    pub status: Option<&'a str>,
    pub fen: Option<i64>,
    pub deadline: Option<DateTime<Utc>>,
}

/// A memo flag from a form or the API: empty is no flag.
fn parse_flag(text: Option<&str>, field: &'static str, errors: &mut Vec<FieldError>) -> Option<MemoFlag> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => parse::<MemoFlag>(t, field, errors),
    }
}

/// The refund's fields checked: a known state, an amount neither negative nor above what
/// the buyer paid, and no amount or deadline without a state.
fn check_refund(r: &RefundIn<'_>, total_fen: i64, errors: &mut Vec<FieldError>) -> Refund {
    let status = r.status.map(str::trim).filter(|t| !t.is_empty()).and_then(|t| parse(t, "refund_status", errors));
    if let Some(fen) = r.fen {
        if fen < 0 {
            errors.push(FieldError::new("refund_fen", ErrorCode::Negative));
        } else if fen > total_fen {
            errors.push(FieldError::new("refund_fen", ErrorCode::RefundOverTotal));
        }
    }
    if r.status.is_none_or(|t| t.trim().is_empty()) {
        if r.fen.is_some() {
            errors.push(FieldError::new("refund_fen", ErrorCode::RefundNeedsStatus));
        }
        if r.deadline.is_some() {
            errors.push(FieldError::new("refund_deadline", ErrorCode::RefundNeedsStatus));
        }
    }
    Refund { status, fen: r.fen, deadline: r.deadline }
}

/// Checks an order: known platform and status, positive quantities, no negative amounts,
/// the times a status implies present, and the times in order (paid after created, shipped
/// after paid, signed after shipped, completed after signed).
fn validate<'a>(o: &OrderIn<'a>) -> Result<Checked<'a>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let platform = parse::<Platform>(o.platform, "platform", &mut errors);
    let status = parse::<OrderStatus>(o.status, "status", &mut errors);
    check_text(o.order_no, "order_no", 64, true, &mut errors);
    check_text(o.buyer.nick, "buyer.nick", 64, true, &mut errors);
    if let Some(r) = &o.receiver {
        check_text(r.name, "receiver.name", 64, false, &mut errors);
        check_text(r.phone, "receiver.phone", 32, false, &mut errors);
        check_text(r.address, "receiver.address", 500, false, &mut errors);
    }
    if o.items.is_empty() {
        errors.push(FieldError::new("items", ErrorCode::Required));
    }
    for (i, it) in o.items.iter().enumerate() {
        if it.quantity <= 0 {
            errors.push(FieldError::new(format!("items[{i}].quantity"), ErrorCode::Quantity));
        }
        if it.unit_price_fen < 0 {
            errors.push(FieldError::new(format!("items[{i}].unit_price_fen"), ErrorCode::Negative));
        }
        if it.sku.trim().is_empty() {
            errors.push(FieldError::new(format!("items[{i}].sku"), ErrorCode::Required));
        }
        if it.title.trim().is_empty() {
            errors.push(FieldError::new(format!("items[{i}].title"), ErrorCode::Required));
        }
    }
    if o.shipping_fee_fen < 0 {
        errors.push(FieldError::new("shipping_fee_fen", ErrorCode::Negative));
    }
    if let Some(status) = status {
        use OrderStatus::*;
        let needs = |s: &[OrderStatus]| s.contains(&status);
        if needs(&[Paid, Shipped, Signed, Completed]) && o.times.paid_at.is_none() {
            errors.push(FieldError::new("paid_at", ErrorCode::Required));
        }
        if needs(&[Shipped, Signed, Completed]) && o.times.shipped_at.is_none() {
            errors.push(FieldError::new("shipped_at", ErrorCode::Required));
        }
        if needs(&[Signed, Completed]) && o.times.signed_at.is_none() {
            errors.push(FieldError::new("signed_at", ErrorCode::Required));
        }
        if status == Completed && o.times.completed_at.is_none() {
            errors.push(FieldError::new("completed_at", ErrorCode::Required));
        }
        if status == Closed && o.times.closed_at.is_none() {
            errors.push(FieldError::new("closed_at", ErrorCode::Required));
        }
    }
    // Each time must not come before the one it follows.
    for field in o.times.out_of_order() {
        errors.push(FieldError::new(field, ErrorCode::OutOfOrder));
    }
    let total =
        o.items.iter().map(|i| i.quantity.max(0) * i.unit_price_fen.max(0)).sum::<i64>() + o.shipping_fee_fen.max(0);
    let refund = check_refund(&o.refund, total, &mut errors);
    let memo = o.memo.map(|(text, flag)| {
        check_text(text, "seller_memo", MEMO_MAX_CHARS, false, &mut errors);
        (text.trim(), parse_flag(flag, "memo_flag", &mut errors))
    });
    match (platform, status) {
        (Some(platform), Some(status)) if errors.is_empty() => Ok(Checked { platform, status, refund, memo }),
        _ => Err(errors),
    }
}

/// An order's fields that were text, parsed.
struct Checked<'a> {
    platform: Platform,
    status: OrderStatus,
    refund: Refund,
    memo: Option<(&'a str, Option<MemoFlag>)>,
}

/// Inserts or updates an order (same platform + number → same row). Returns its id and
/// whether it was new. Nothing is stored when any field is wrong.
pub async fn upsert_order(db: &Db, o: &OrderIn<'_>, now: DateTime<Utc>) -> ServiceResult<(Uuid, bool)> {
    let Checked { platform, status, refund, memo } = validate(o).map_err(ServiceError::Invalid)?;
    let mut tx = db.begin().await?;
    let buyer_id = store::buyers::find_or_create(&mut tx, o.buyer.nick.trim(), now).await?;
    let b = &o.buyer;
    store::buyers::merge_profile(&mut tx, buyer_id, &b.profile.trimmed(), now).await?;
    let skus: Vec<&str> = o.items.iter().map(|i| i.sku.trim()).collect();
    let products = store::catalog::ids_by_sku(&mut tx, &skus).await?;
    let items: Vec<NewItem> = o
        .items
        .iter()
        .map(|i| NewItem {
            product_id: products.iter().find(|(s, _)| s == i.sku.trim()).map(|(_, id)| *id),
            sku: i.sku.trim(),
            title: i.title.trim(),
            variant: i.variant.trim(),
            ..*i
        })
        .collect();
    let new = NewOrder {
        platform,
        order_no: o.order_no.trim(),
        buyer_id,
        status,
        free_shipping: o.free_shipping,
        shipping_fee_fen: o.shipping_fee_fen,
        times: o.times,
        receiver: match &o.receiver {
            Some(r) => Receiver { name: r.name.trim(), phone: r.phone.trim(), address: r.address.trim() },
            None => Receiver {
                name: b.profile.name.trim(),
                phone: b.profile.phone.trim(),
                address: b.profile.address.trim(),
            },
        },
        refund,
        memo,
    };
    let out = store::orders::upsert(&mut tx, &new, &items, now).await?;
    tx.commit().await?;
    Ok(out)
}

/// Finds an order by platform text and number; unknown platform or order → NotFound.
pub async fn find(db: &Db, platform: &str, order_no: &str) -> ServiceResult<Order> {
    let platform: Platform = platform.parse().map_err(|_| ServiceError::NotFound)?;
    store::orders::by_no(db, platform, order_no).await?.ok_or(ServiceError::NotFound)
}

pub struct TrackingIn<'a> {
    pub at: DateTime<Utc>,
    pub place: &'a str,
    pub status: &'a str,
}

/// Records a shipment and its tracking events (repeats are ignored).
pub async fn add_shipment(
    db: &Db, order: &Order, courier: &str, tracking_no: &str, shipped_at: Option<DateTime<Utc>>,
    events: &[TrackingIn<'_>], now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let mut errors = Vec::new();
    check_text(courier, "courier", 40, true, &mut errors);
    check_text(tracking_no, "tracking_no", 64, true, &mut errors);
    for (i, e) in events.iter().enumerate() {
        if e.status.trim().is_empty() {
            errors.push(FieldError::new(format!("events[{i}].status"), ErrorCode::Required));
        }
    }
    let shipped_at = shipped_at.unwrap_or(now);
    if order.times.paid_at.is_some_and(|p| shipped_at < p) {
        errors.push(FieldError::new("shipped_at", ErrorCode::OutOfOrder));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    let id =
        match store::orders::upsert_shipment(&mut tx, order.id, courier.trim(), tracking_no.trim(), shipped_at).await {
            Ok(id) => id,
            Err(store::StoreError::Duplicate(_)) => return Err(ServiceError::field("tracking_no", ErrorCode::Taken)),
            Err(e) => return Err(e.into()),
        };
    for e in events {
        store::orders::insert_tracking_event(&mut tx, id, e.at, e.place.trim(), e.status.trim()).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Sets the order's review; returns the previous rating.
pub async fn set_review(
    db: &Db, order: &Order, rating: &str, body: &str, now: DateTime<Utc>,
) -> ServiceResult<Option<Rating>> {
    let mut errors = Vec::new();
    let rating = parse::<Rating>(rating, "rating", &mut errors);
    check_text(body, "text", 2000, false, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    let before = store::orders::upsert_review(&mut tx, order.id, rating.expect("checked"), body.trim(), now).await?;
    tx.commit().await?;
    Ok(before)
}

/// The platform rules applied to one order at one moment.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Policy {
    pub return_window: ReturnWindow,
    pub delayed_shipment: DelayedShipment,
    pub return_shipping: ReturnShipping,
}

/// Applies the rules to an order with its items; `tz` is the shop's time zone (the 7-day
/// clock counts shop days).
pub fn policy_of(order: &Order, items: &[OrderItem], at: DateTime<Utc>, reason: ReturnReason, tz: Tz) -> Policy {
    let every_item = !items.is_empty() && items.iter().all(|i| i.seven_day_return);
    Policy {
        return_window: rules::return_window(order.times.signed_at, every_item, at, tz),
        delayed_shipment: rules::delayed_shipment(
            order.platform,
            order.goods_fen,
            order.times.ship_by,
            order.times.shipped_at,
            at,
        ),
        return_shipping: rules::return_shipping(reason, order.free_shipping),
    }
}

/// The rules for an order at `at`, for a return for `reason` (the policy API).
pub async fn policy(db: &Db, order: &Order, at: DateTime<Utc>, reason: ReturnReason) -> ServiceResult<Policy> {
    let (items, settings) = tokio::try_join!(store::orders::items(db, order.id), store::settings::all(db))?;
    let tz = crate::domain::Settings::from_pairs(&settings).shop.time_zone;
    Ok(policy_of(order, &items, at, reason, tz))
}

/// Rows per page of the order list.
pub const PAGE_SIZE: usize = 50;

/// Sets an order's seller memo (卖家备注) and flag from the desk. Nothing is stored when the
/// memo is too long or the flag unknown.
pub async fn set_memo(db: &Db, order_id: Uuid, memo: &str, flag: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let mut errors = Vec::new();
    check_text(memo, "memo", MEMO_MAX_CHARS, false, &mut errors);
    let flag = parse_flag(Some(flag), "flag", &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    if !store::orders::set_memo(&mut tx, order_id, memo.trim(), flag, now).await? {
        return Err(ServiceError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Sets the memo of the ticket's order, from the order card beside the chat.
pub async fn set_ticket_memo(
    db: &Db, ticket_id: Uuid, memo: &str, flag: &str, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let order =
        ticket.order_id.ok_or_else(|| ServiceError::Invalid(vec![FieldError::new("memo", ErrorCode::NeedsOrder)]))?;
    set_memo(db, order, memo, flag, now).await
}

/// One page of orders, newest first, filtered by status and by an order number, tracking
/// number or nick prefix, after `before` (`RFC3339~uuid` of the last row shown; a cursor
/// that does not read is the first page).
pub async fn list(db: &Db, status: Option<OrderStatus>, query: &str, before: &str) -> ServiceResult<Page<OrderRow>> {
    let before = before.split_once('~').and_then(|(at, id)| {
        Some((DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc), Uuid::parse_str(id).ok()?))
    });
    let filter = OrderFilter { status, query: Some(query.trim().to_string()).filter(|q| !q.is_empty()) };
    let rows = store::orders::page(db, &filter, before, PAGE_SIZE as i64 + 1).await?;
    Ok(Page::of(rows, PAGE_SIZE, |r| format!("{}~{}", r.order.times.created_at.to_rfc3339(), r.order.id)))
}

/// An order as its page shows it: the buyer, items, parcels and tracking, the review, the
/// tickets about it and the platform rules as of `now`.
pub struct OrderView {
    pub order: Order,
    pub buyer: Buyer,
    pub items: Vec<OrderItem>,
    pub shipments: Vec<Shipment>,
    pub events: Vec<TrackingEvent>,
    pub review: Option<Review>,
    pub tickets: Vec<TicketSummary>,
    pub policy: Policy,
}

/// The order page's data, its parts read concurrently.
pub async fn view(db: &Db, id: Uuid, settings: &Settings, now: DateTime<Utc>) -> ServiceResult<OrderView> {
    // Seven reads taking turns on one reader connection (see `Db::holding_reader`).
    let db = &db.holding_reader().await?;
    let (order, items, shipments, events, review, tickets) = tokio::try_join!(
        store::orders::by_id(db, id),
        store::orders::items(db, id),
        store::orders::shipments(db, id),
        store::orders::tracking_events(db, id),
        store::orders::review(db, id),
        store::tickets::for_order(db, id),
    )?;
    let order = order.ok_or(ServiceError::NotFound)?;
    let buyer = store::buyers::by_id(db, order.buyer_id).await?.ok_or(ServiceError::NotFound)?;
    let policy = policy_of(&order, &items, now, ReturnReason::Unknown, settings.shop.time_zone);
    Ok(OrderView { order, buyer, items, shipments, events, review, tickets, policy })
}
