//! What the JSON API needs beyond the use cases it shares with the pages: bearer tokens,
//! remembered answers for `Idempotency-Key`, the outbox integrations deliver, and a ticket
//! with its whole conversation.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::auth::hash_token;
use super::{ServiceError, ServiceResult};
use crate::domain::ErrorCode;
use crate::store::{self, Db};

pub use crate::store::idempotency::Stored;
pub use crate::store::outbox::OutboxItem;
pub use crate::store::tickets::{Message, Ticket};

/// The id of the live (unrevoked) API token `token`, if it is one.
pub async fn token(db: &Db, token: &str) -> ServiceResult<Option<Uuid>> {
    Ok(store::tokens::find_live(db, &hash_token(token)).await?.map(|(id, _)| id))
}

/// The answer stored for this token's `key`, if any.
pub async fn remembered(db: &Db, token: Uuid, key: &str) -> ServiceResult<Option<Stored>> {
    Ok(store::idempotency::get(db, token, key).await?)
}

/// Stores the first answer for a key; a concurrent duplicate keeps the first.
pub async fn remember(db: &Db, token: Uuid, key: &str, answer: &Stored, now: DateTime<Utc>) -> ServiceResult<()> {
    Ok(store::idempotency::put(db, token, key, &answer.request, answer.status, &answer.body, now).await?)
}

/// Messages waiting to be delivered to buyers, oldest first: at most `limit`, which must be
/// from 1 to 500 (a larger page would hold the reader for long).
pub async fn outbox(db: &Db, limit: i64) -> ServiceResult<Vec<OutboxItem>> {
    if !(1..=500).contains(&limit) {
        return Err(ServiceError::field("limit", ErrorCode::Range));
    }
    Ok(store::outbox::pending(db, limit).await?)
}

/// Records whether an outbox message reached the buyer.
pub async fn outbox_delivered(db: &Db, id: Uuid, delivered: bool, now: DateTime<Utc>) -> ServiceResult<()> {
    if store::outbox::mark(db, id, delivered, now).await? { Ok(()) } else { Err(ServiceError::NotFound) }
}

/// A ticket with its buyer's nick, its order number and every message (notes included).
pub struct TicketWithMessages {
    pub ticket: Ticket,
    pub buyer_nick: String,
    pub order_no: Option<String>,
    pub messages: Vec<Message>,
    /// The photos of those messages.
    pub photos: Vec<crate::store::attachments::Attachment>,
    /// The buyer's service rating, if given.
    pub rating: Option<crate::store::ratings::Rating>,
    /// The item and order cards sent in it.
    pub cards: super::cards::Cards,
}

pub async fn ticket(db: &Db, id: Uuid) -> ServiceResult<TicketWithMessages> {
    let (ticket, messages, photos, rating, cards) = tokio::try_join!(
        async { Ok::<_, ServiceError>(store::tickets::by_id(db, id).await?) },
        async { Ok(store::tickets::messages(db, id, None, false).await?) },
        async { Ok(store::attachments::of_ticket(db, id).await?) },
        async { Ok(store::ratings::of_ticket(db, id).await?) },
        super::cards::of_ticket(db, id, true),
    )?;
    let ticket = ticket.ok_or(ServiceError::NotFound)?;
    let order = async {
        match ticket.order_id {
            Some(o) => store::orders::by_id(db, o).await.map(|o| o.map(|o| o.order_no)),
            None => Ok(None),
        }
    };
    let (buyer, order_no) = tokio::try_join!(store::buyers::by_id(db, ticket.buyer_id), order)?;
    let buyer = buyer.ok_or(ServiceError::NotFound)?;
    Ok(TicketWithMessages { ticket, buyer_nick: buyer.nick, order_no, messages, photos, rating, cards })
}
