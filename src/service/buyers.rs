//! Buyers: the list, the profile staff see beside a conversation, and what staff note about
//! a buyer (notes, tags, shop-defined attributes).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Page, ServiceError, ServiceResult};
use crate::domain::search::query_terms;
use crate::domain::{ErrorCode, FieldError, TicketEvent};
use crate::live::{Hub, LiveEvent};
use crate::store::staff::Staff;
use crate::store::{self, Db};

pub use crate::store::buyers::{Buyer, BuyerRow, BuyerValue};
pub use crate::store::orders::{Order, Shipment};
pub use crate::store::tickets::TicketSummary;

/// Rows per page of the buyer list.
pub const PAGE_SIZE: usize = 50;

/// Everything the shop knows about a buyer, as the buyer page and the ticket page show it.
pub struct Profile {
    pub buyer: Buyer,
    pub tags: Vec<String>,
    pub attributes: Vec<(String, String)>,
    pub value: BuyerValue,
    pub orders: Vec<Order>,
    /// The latest shipment of each order.
    pub shipments: Vec<Shipment>,
    pub tickets: Vec<TicketSummary>,
}

impl Profile {
    /// The latest shipment of an order.
    pub fn shipment_of(&self, order_id: Uuid) -> Option<&Shipment> {
        self.shipments.iter().rev().find(|s| s.order_id == order_id)
    }

    /// Bought more than once (老客户).
    pub fn is_returning(&self) -> bool {
        self.value.order_count >= 2
    }
}

/// The buyer's profile, its parts read concurrently.
pub async fn profile(db: &Db, id: Uuid) -> ServiceResult<Profile> {
    let (buyer, tags, attributes, value, orders, shipments, tickets) = tokio::try_join!(
        store::buyers::by_id(db, id),
        store::buyers::tags(db, id),
        store::buyers::attributes(db, id),
        store::buyers::value(db, id),
        store::orders::for_buyer(db, id),
        store::orders::latest_shipments(db, id),
        store::tickets::for_buyer(db, id),
    )?;
    let buyer = buyer.ok_or(ServiceError::NotFound)?;
    Ok(Profile { buyer, tags, attributes, value, orders, shipments, tickets })
}

/// One page of buyers matching `query` (nick, name, phone prefix …), newest first, after the
/// buyer `before` (keyset). A query with no searchable term finds nobody.
pub async fn list(db: &Db, query: &str, before: Option<Uuid>) -> ServiceResult<Page<BuyerRow>> {
    let terms = query_terms(query);
    if !query.trim().is_empty() && terms.is_empty() {
        return Ok(Page::default());
    }
    let rows = store::buyers::page(db, &terms, before, PAGE_SIZE as i64 + 1).await?;
    Ok(Page::of(rows, PAGE_SIZE, |r| r.buyer.id.to_string()))
}

/// Notes (at most 2,000 characters) and tags (split on commas or spaces; at most 20 of at
/// most 20 characters each, longer ones dropped) from the buyer panel, saved together.
pub async fn save_notes(db: &Db, id: Uuid, notes: &str, tags: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let notes: String = notes.trim().chars().take(2000).collect();
    let tags: Vec<&str> = tags
        .split([',', '，', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.chars().count() <= 20)
        .take(20)
        .collect();
    let mut tx = db.begin().await?;
    if !store::buyers::set_notes(&mut tx, id, &notes, now).await? {
        return Err(ServiceError::NotFound);
    }
    store::buyers::set_tags(&mut tx, id, &tags).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets one shop-defined attribute (尺码、肤质 …); an empty value removes it.
pub async fn set_attribute(db: &Db, id: Uuid, key: &str, value: &str) -> ServiceResult<()> {
    let (key, value) = (key.trim(), value.trim());
    let mut errors = Vec::new();
    if key.is_empty() {
        errors.push(FieldError::new("key", ErrorCode::Required));
    } else if key.chars().count() > 20 {
        errors.push(FieldError::new("key", ErrorCode::TooLong));
    }
    if value.chars().count() > 100 {
        errors.push(FieldError::new("value", ErrorCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut tx = db.begin().await?;
    store::buyers::by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if value.is_empty() {
        store::buyers::remove_attribute(&mut tx, id, key).await?;
    } else {
        store::buyers::set_attribute(&mut tx, id, key, value).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An agent checked that the chat visitor writing on ticket `ticket_id` is the buyer
/// `into_nick` (asked for the order number, the phone …) and merges the visitor into that
/// buyer: the visitor's tickets, chat sessions and notes move, each moved ticket records it,
/// and the visitor's browser now continues as the buyer. Returns the buyer's id.
pub async fn merge_visitor(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, into_nick: &str, now: DateTime<Utc>,
) -> ServiceResult<Uuid> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let visitor = store::buyers::by_id(db, ticket.buyer_id).await?.ok_or(ServiceError::NotFound)?;
    if visitor.claimed_nick.is_none() {
        return Err(ServiceError::field("nick", ErrorCode::NotVisitor));
    }
    let mut errors = Vec::new();
    let into_nick = crate::domain::validation::required_text(&mut errors, "nick", into_nick, 64);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let target = match store::buyers::by_nick(db, into_nick).await? {
        Some(b) if b.claimed_nick.is_none() => b,
        _ => return Err(ServiceError::field("nick", ErrorCode::BuyerUnknown)),
    };
    let mut tx = db.begin().await?;
    let moved = store::buyers::merge_visitor(&mut tx, visitor.id, target.id, now).await?;
    let event = TicketEvent::VisitorMerged { visitor: visitor.nick.clone(), into: target.nick.clone() };
    for id in &moved {
        store::tickets::insert_event(&mut tx, *id, Some(staff.id), &event, now).await?;
    }
    tx.commit().await?;
    for id in moved {
        hub.publish(LiveEvent::Ticket { ticket_id: id, buyer_id: target.id, stage: ticket.stage }).await;
    }
    Ok(target.id)
}
