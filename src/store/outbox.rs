//! Messages to buyers waiting to be delivered by an integration (shipping notices, care
//! tips …), with their delivery state.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_pool, exec_tx, on_pool};

/// A message waiting for the shop's own channel; `GET /api/v1/outbox` lists these as they are.
#[derive(Debug, Clone, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxItem {
    pub id: Uuid,
    pub buyer_id: Uuid,
    pub buyer_nick: String,
    pub order_id: Option<Uuid>,
    /// Why it was written: `urge_payment`, `shipping_notice`, `campaign`…
    pub reason: String,
    pub body: String,
    /// `pending` until delivered.
    pub status: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(
    tx: &mut Tx, buyer_id: Uuid, order_id: Option<Uuid>, reason: &str, body: &str, now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO outbox (id, buyer_id, order_id, reason, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id).bind(buyer_id).bind(order_id).bind(reason).bind(body).bind(now).execute(c).await)?;
    Ok(id)
}

/// A care campaign's message to a buyer (the outbox channel).
pub async fn insert_campaign(
    tx: &mut Tx, buyer_id: Uuid, campaign_id: Uuid, body: &str, now: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO outbox (id, buyer_id, campaign_id, reason, body, created_at) VALUES ($1, $2, $3, 'campaign', $4, $5)")
        .bind(id).bind(buyer_id).bind(campaign_id).bind(body).bind(now).execute(c).await)?;
    Ok(id)
}

/// Pending messages, oldest first.
pub async fn pending(db: &Db, limit: i64) -> StoreResult<Vec<OutboxItem>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT x.id, x.buyer_id, b.nick AS buyer_nick, x.order_id, x.reason, x.body, x.status, x.created_at
         FROM outbox x JOIN buyers b ON b.id = x.buyer_id WHERE x.status = 'pending' ORDER BY x.created_at, x.id LIMIT $1")
        .bind(limit).fetch_all(p).await)?)
}

/// Marks a message delivered (or failed); false when there is no such pending message.
pub async fn mark(db: &Db, id: Uuid, delivered: bool, now: DateTime<Utc>) -> StoreResult<bool> {
    let status = if delivered { "sent" } else { "failed" };
    let n = exec_pool!(db.write(), p => sqlx::query(
        "UPDATE outbox SET status = $2, sent_at = $3 WHERE id = $1 AND status = 'pending'")
        .bind(id).bind(status).bind(now).execute(p).await)?;
    Ok(n == 1)
}

pub async fn for_order(db: &Db, order_id: Uuid) -> StoreResult<Vec<OutboxItem>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT x.id, x.buyer_id, b.nick AS buyer_nick, x.order_id, x.reason, x.body, x.status, x.created_at
         FROM outbox x JOIN buyers b ON b.id = x.buyer_id WHERE x.order_id = $1 ORDER BY x.created_at")
        .bind(order_id).fetch_all(p).await)?)
}
