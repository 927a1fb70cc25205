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

pub use crate::store::buyers::{Buyer, BuyerRow, BuyerValue, Profile};
pub use crate::store::orders::{Order, Shipment};
pub use crate::store::tickets::TicketSummary;

/// Rows per page of the buyer list.
pub const PAGE_SIZE: usize = 50;

/// The buyer's profile: who they are, what they bought, what they asked before.
pub async fn profile(db: &Db, id: Uuid) -> ServiceResult<Profile> {
    store::buyers::profile(db, id).await?.ok_or(ServiceError::NotFound)
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

/// A buyer record from a shop system (`POST /api/v1/buyers`). `None` keeps what is stored;
/// tags, when given, replace the buyer's tags; attributes are set key by key (others stay).
#[derive(Debug, Default)]
pub struct BuyerUpsert<'a> {
    pub nick: &'a str,
    pub name: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub address: Option<&'a str>,
    /// `f` or `m` (女 / 男 and female / male are read too).
    pub gender: Option<&'a str>,
    /// YYYY-MM-DD.
    pub birthday: Option<&'a str>,
    pub member_level: Option<&'a str>,
    pub tags: Option<Vec<&'a str>>,
    pub attributes: Vec<(&'a str, &'a str)>,
    pub opted_out: Option<bool>,
}

/// The longest tag, and the longest attribute key and value, as staff can type them.
const MAX_TAG_CHARS: usize = 20;
const MAX_ATTR_KEY_CHARS: usize = 20;
const MAX_ATTR_VALUE_CHARS: usize = 100;

fn gender_of(text: &str) -> Option<&'static str> {
    match text.trim().to_lowercase().as_str() {
        "f" | "female" | "女" => Some("f"),
        "m" | "male" | "男" => Some("m"),
        _ => None,
    }
}

/// `value` trimmed, with a `too_long` error for `field` past `max` characters.
fn trimmed<'a>(
    field: &'static str, value: Option<&'a str>, max: usize, errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    let value = value.map(str::trim);
    if value.is_some_and(|v| v.chars().count() > max) {
        errors.push(FieldError::new(field, ErrorCode::TooLong));
    }
    value
}

/// Creates or updates a buyer by nick, with their tags and attributes, in one transaction;
/// returns the id and whether the buyer is new. Every bad field is named and nothing is
/// written then.
pub async fn upsert(db: &Db, b: &BuyerUpsert<'_>, now: DateTime<Utc>) -> ServiceResult<(Uuid, bool)> {
    let levels = &super::settings::load(db).await?.care.member_levels;
    let mut errors = Vec::new();
    let nick = b.nick.trim();
    if nick.is_empty() {
        errors.push(FieldError::new("nick", ErrorCode::Required));
    } else if nick.chars().count() > 64 {
        errors.push(FieldError::new("nick", ErrorCode::TooLong));
    }
    let name = trimmed("name", b.name, 64, &mut errors);
    let phone = trimmed("phone", b.phone, 32, &mut errors);
    let email = trimmed("email", b.email, 254, &mut errors);
    if email.is_some_and(|e| !e.is_empty() && !crate::domain::validation::looks_like_email(e)) {
        errors.push(FieldError::new("email", ErrorCode::Invalid));
    }
    let address = trimmed("address", b.address, 500, &mut errors);
    let gender = match b.gender.map(str::trim) {
        None | Some("") => None,
        Some(g) => gender_of(g).or_else(|| {
            errors.push(FieldError::new("gender", ErrorCode::Invalid));
            None
        }),
    };
    let birthday = match b.birthday.map(str::trim) {
        None | Some("") => None,
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(d) if d > now.date_naive() => {
                errors.push(FieldError::new("birthday", ErrorCode::InFuture));
                None
            }
            Ok(d) if chrono::Datelike::year(&d) < 1900 => {
                errors.push(FieldError::new("birthday", ErrorCode::Date));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new("birthday", ErrorCode::Date));
                None
            }
        },
    };
    let member_level = b.member_level.map(str::trim);
    if member_level.is_some_and(|l| !l.is_empty() && !levels.iter().any(|k| k == l)) {
        errors.push(FieldError::new("member_level", ErrorCode::MemberLevel));
    }
    let tags: Option<Vec<&str>> = b.tags.as_ref().map(|t| t.iter().map(|t| t.trim()).collect());
    for (i, tag) in tags.iter().flatten().enumerate() {
        if tag.is_empty() || tag.chars().count() > MAX_TAG_CHARS {
            errors.push(FieldError::new(format!("tags[{i}]"), ErrorCode::Invalid));
        }
    }
    for (key, value) in &b.attributes {
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || key.chars().count() > MAX_ATTR_KEY_CHARS || value.chars().count() > MAX_ATTR_VALUE_CHARS {
            errors.push(FieldError::new(format!("attributes.{key}"), ErrorCode::Invalid));
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let patch = store::buyers::BuyerPatch {
        name,
        phone,
        email,
        address,
        gender,
        birthday,
        member_level,
        opted_out: b.opted_out,
    };
    let mut tx = db.begin().await?;
    let (id, is_new) = store::buyers::upsert_patch(&mut tx, nick, &patch, now).await?;
    if let Some(tags) = &tags {
        let mut unique: Vec<&str> = Vec::new();
        for t in tags {
            if !unique.contains(t) {
                unique.push(t);
            }
        }
        store::buyers::set_tags(&mut tx, id, &unique).await?;
    }
    for (key, value) in &b.attributes {
        let (key, value) = (key.trim(), value.trim());
        if value.is_empty() {
            store::buyers::remove_attribute(&mut tx, id, key).await?;
        } else {
            store::buyers::set_attribute(&mut tx, id, key, value).await?;
        }
    }
    tx.commit().await?;
    Ok((id, is_new))
}
