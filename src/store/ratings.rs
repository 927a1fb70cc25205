//! Service ratings and the invitations to give one (migration 0013).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::rating::ServiceRating;
use crate::domain::{Stage, TicketStatus};
use crate::{exec_tx, on_pool, on_tx};

/// A ticket's rating.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct Rating {
    pub ticket_id: Uuid,
    pub rating: ServiceRating,
    pub comment: String,
    pub agent_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Records the invitation to rate; false when the ticket already had one.
pub async fn invite(tx: &mut Tx, ticket_id: Uuid, staff_id: Option<Uuid>, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "INSERT INTO rating_invites (ticket_id, staff_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (ticket_id) DO NOTHING")
        .bind(ticket_id).bind(staff_id).bind(now).execute(c).await)?;
    Ok(n == 1)
}

/// What the chat needs to offer a rating: the ticket's status, whether it was invited, its
/// rating so far. Locks nothing; [`upsert`] decides under the transaction.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct RatingState {
    pub ticket_id: Uuid,
    pub buyer_id: Uuid,
    pub stage: Stage,
    pub status: TicketStatus,
    pub assignee_id: Option<Uuid>,
    pub invited: bool,
    pub rating: Option<ServiceRating>,
    pub comment: Option<String>,
    /// The agent the rating counts for (the assignee when it was given).
    pub rated_agent_id: Option<Uuid>,
    pub rated_at: Option<DateTime<Utc>>,
    pub rating_updated_at: Option<DateTime<Utc>>,
}

impl RatingState {
    /// The ticket's rating, if it has one.
    pub fn rating(&self) -> Option<Rating> {
        match (self.rating, self.rated_at, self.rating_updated_at) {
            (Some(rating), Some(created_at), Some(updated_at)) => Some(Rating {
                ticket_id: self.ticket_id,
                rating,
                comment: self.comment.clone().unwrap_or_default(),
                agent_id: self.rated_agent_id,
                created_at,
                updated_at,
            }),
            _ => None,
        }
    }
}

const STATE: &str = "SELECT t.id AS ticket_id, t.buyer_id, t.stage, t.status, t.assignee_id,
        (i.ticket_id IS NOT NULL) AS invited, r.rating, r.comment, r.agent_id AS rated_agent_id,
        r.created_at AS rated_at, r.updated_at AS rating_updated_at
     FROM tickets t LEFT JOIN rating_invites i ON i.ticket_id = t.id LEFT JOIN ticket_ratings r ON r.ticket_id = t.id
     WHERE t.id = $1";

pub async fn state(db: &Db, ticket_id: Uuid) -> StoreResult<Option<RatingState>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(STATE).bind(ticket_id).fetch_optional(p).await)?)
}

/// [`state`] as a part of a combined read.
pub(crate) fn state_part(ticket_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(STATE, ticket_id).with_bools(&["invited"])
}

/// The same inside a transaction, the ticket row locked first (two ratings at once: the
/// second sees the first).
pub async fn state_tx(tx: &mut Tx, ticket_id: Uuid) -> StoreResult<Option<RatingState>> {
    super::tickets::lock(tx, ticket_id).await?;
    Ok(on_tx!(tx, c => sqlx::query_as(STATE).bind(ticket_id).fetch_optional(c).await)?)
}

/// Stores the ticket's rating, or changes it (its first time is kept).
pub async fn upsert(
    tx: &mut Tx, s: &RatingState, rating: ServiceRating, comment: &str, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO ticket_ratings (ticket_id, buyer_id, agent_id, rating, comment, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (ticket_id) DO UPDATE SET rating = $4, comment = $5, updated_at = $6")
        .bind(s.ticket_id).bind(s.buyer_id).bind(s.assignee_id).bind(rating).bind(comment).bind(now)
        .execute(c).await)?;
    Ok(())
}

pub async fn of_ticket(db: &Db, ticket_id: Uuid) -> StoreResult<Option<Rating>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT ticket_id, rating, comment, agent_id, created_at, updated_at FROM ticket_ratings WHERE ticket_id = $1")
        .bind(ticket_id).fetch_optional(p).await)?)
}

/// A buyer's latest ratings, newest first (index `ticket_ratings_by_buyer`).
pub async fn of_buyer(db: &Db, buyer_id: Uuid, limit: u32) -> StoreResult<Vec<Rating>> {
    let sql = of_buyer_sql(limit);
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).fetch_all(p).await)?)
}

fn of_buyer_sql(limit: u32) -> String {
    format!(
        "SELECT ticket_id, rating, comment, agent_id, created_at, updated_at FROM ticket_ratings
         WHERE buyer_id = $1 ORDER BY created_at DESC LIMIT {limit}"
    )
}

/// [`of_buyer`] as a part of a combined read.
pub(crate) fn of_buyer_part(buyer_id: Uuid, limit: u32) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(of_buyer_sql(limit), buyer_id)
}
