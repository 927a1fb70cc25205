//! Replies that had words the platform penalises (see migration 0012).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

/// What became of a reply with banned words.
pub use crate::domain::reply_check::HitOutcome;

pub async fn insert(
    tx: &mut Tx, staff_id: Uuid, ticket_id: Option<Uuid>, phrases: &[String], outcome: HitOutcome, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO phrase_hits (id, staff_id, ticket_id, phrases, outcome, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(super::new_id()).bind(staff_id).bind(ticket_id).bind(phrases.join("、")).bind(outcome).bind(now)
        .execute(c).await)?;
    Ok(())
}

/// Per staff member since `since`: name, warned (not sent), sent after confirming, refused.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HitCount {
    pub staff_id: Uuid,
    pub display_name: String,
    pub warned: i64,
    pub sent: i64,
    pub blocked: i64,
}

pub async fn counts(db: &Db, since: DateTime<Utc>) -> StoreResult<Vec<HitCount>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT h.staff_id, s.display_name,
                SUM(CASE WHEN h.outcome = 'warned' THEN 1 ELSE 0 END) AS warned,
                SUM(CASE WHEN h.outcome = 'sent' THEN 1 ELSE 0 END) AS sent,
                SUM(CASE WHEN h.outcome = 'blocked' THEN 1 ELSE 0 END) AS blocked
         FROM phrase_hits h JOIN staff s ON s.id = h.staff_id
         WHERE h.created_at >= $1
         GROUP BY h.staff_id, s.display_name
         ORDER BY SUM(CASE WHEN h.outcome = 'sent' THEN 1 ELSE 0 END) DESC, s.display_name
         LIMIT 200")
        .bind(since).fetch_all(p).await)?)
}

/// The latest hits since `since`: who, which ticket number, which words, what became of it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecentHit {
    pub display_name: String,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<i64>,
    pub phrases: String,
    pub outcome: HitOutcome,
    pub created_at: DateTime<Utc>,
}

pub async fn recent(db: &Db, since: DateTime<Utc>, limit: i64) -> StoreResult<Vec<RecentHit>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT s.display_name, h.ticket_id, t.number AS ticket_number, h.phrases, h.outcome, h.created_at
         FROM phrase_hits h JOIN staff s ON s.id = h.staff_id LEFT JOIN tickets t ON t.id = h.ticket_id
         WHERE h.created_at >= $1 ORDER BY h.created_at DESC LIMIT $2")
        .bind(since).bind(limit).fetch_all(p).await)?)
}
