//! Service ratings (服务评价): the invitation when a conversation is resolved (or by hand,
//! 邀评, once per ticket), the buyer's rating from the chat (changeable for 24 hours), and
//! what the desk shows of them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::chat::ChatSession;
use super::{FieldError, ServiceError, ServiceResult};
use crate::domain::rating::{self, ServiceRating};
use crate::domain::{AuthorKind, ErrorCode};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, staff::Staff};

pub use crate::store::ratings::{Rating, RatingState};

/// The invitation the buyer reads in the chat.
pub const INVITATION: &str = "亲，这次服务您还满意吗？麻烦在下面给我们打个分吧，您的评价对我们很重要～";

/// Invites the ticket's buyer to rate inside the caller's transaction, unless they already
/// were; returns the invitation message's id when one was sent (to publish after commit).
pub(crate) async fn invite_tx(
    tx: &mut store::Tx, ticket_id: Uuid, staff_id: Option<Uuid>, now: DateTime<Utc>,
) -> ServiceResult<Option<Uuid>> {
    if !store::ratings::invite(tx, ticket_id, staff_id, now).await? {
        return Ok(None);
    }
    let id = store::tickets::insert_message(tx, ticket_id, AuthorKind::System, None, INVITATION, false, now).await?;
    Ok(Some(id))
}

/// 邀评: an agent invites the buyer to rate, once per ticket.
pub async fn invite_by_hand(
    db: &Db, hub: &Hub, staff: &Staff, ticket_id: Uuid, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let ticket = store::tickets::by_id(db, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    let mut tx = db.begin().await?;
    let Some(message_id) = invite_tx(&mut tx, ticket_id, Some(staff.id), now).await? else {
        return Err(ServiceError::field("rating", ErrorCode::AlreadyInvited));
    };
    tx.commit().await?;
    let ev = LiveEvent::Message {
        ticket_id,
        buyer_id: ticket.buyer_id,
        message_id,
        stage: ticket.stage,
        author: AuthorKind::System,
        internal: false,
    };
    hub.publish(ev).await;
    Ok(())
}

/// What the chat offers about rating its conversation.
#[derive(Debug, Clone)]
pub struct Offer {
    pub current: Option<(ServiceRating, String)>,
    /// A rating can be given now, or the one given can still be changed.
    pub open: bool,
}

/// The rating offer for the conversation the chat shows, if the conversation may be rated.
pub async fn offer(db: &Db, ticket_id: Uuid, now: DateTime<Utc>) -> ServiceResult<Option<Offer>> {
    let Some(s) = store::ratings::state(db, ticket_id).await? else { return Ok(None) };
    if !rating::may_rate(s.status, s.invited) && s.rating.is_none() {
        return Ok(None);
    }
    let open = s.rated_at.is_none_or(|at| rating::may_change(at, now));
    Ok(Some(Offer { current: s.rating.zip(s.comment), open }))
}

/// The buyer of `session` rates the conversation the chat shows them. A step not on the
/// scale, a comment too long, a conversation still in progress (and not invited) or a
/// rating older than 24 hours are refused, naming why; nothing is stored then.
pub async fn rate(
    db: &Db, hub: &Hub, session: &ChatSession, rating_text: &str, comment: &str, now: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut errors = Vec::new();
    let rating = rating_text
        .trim()
        .parse::<ServiceRating>()
        .map_err(|_| errors.push(FieldError::new("rating", ErrorCode::RatingScale)))
        .ok();
    let comment = comment.trim();
    if comment.chars().count() > rating::MAX_COMMENT_CHARS {
        errors.push(FieldError::new("comment", ErrorCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let ticket_id = store::tickets::latest_for_buyer(db, session.buyer_id)
        .await?
        .ok_or(ServiceError::field("rating", ErrorCode::RatingNotYet))?;
    let mut tx = db.begin().await?;
    let s = store::ratings::state_tx(&mut tx, ticket_id).await?.ok_or(ServiceError::NotFound)?;
    if s.buyer_id != session.buyer_id {
        return Err(ServiceError::Forbidden);
    }
    if !rating::may_rate(s.status, s.invited) {
        return Err(ServiceError::field("rating", ErrorCode::RatingNotYet));
    }
    if s.rated_at.is_some_and(|at| !rating::may_change(at, now)) {
        return Err(ServiceError::field("rating", ErrorCode::RatingLocked));
    }
    store::ratings::upsert(&mut tx, &s, rating.expect("checked"), comment, now).await?;
    tx.commit().await?;
    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id: s.buyer_id, stage: s.stage }).await;
    Ok(())
}

/// What the ticket page shows: the ticket's rating, whether it was invited, the buyer's
/// latest ratings.
pub struct OnTicket {
    pub rating: Option<Rating>,
    pub invited: bool,
    pub buyer_ratings: Vec<Rating>,
}

impl OnTicket {
    /// From the ticket's rating state (none: no such ticket) and the buyer's latest ratings.
    pub fn of(state: Option<RatingState>, buyer_ratings: Vec<Rating>) -> OnTicket {
        let (invited, rating) = state.map_or((false, None), |s| (s.invited, s.rating()));
        OnTicket { rating, invited, buyer_ratings }
    }
}
