//! Buyer chat sessions of the `/chat` page: a cookie token (hashed here) → buyer, order and
//! how the browser proved it may read that buyer's conversations.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::chat_access::Proof;
use crate::{exec_pool, exec_tx, on_pool};

/// A chat session as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChatSessionRow {
    pub buyer_id: Uuid,
    /// The nick staff know the buyer by (a visitor's is marked as such).
    pub nick: String,
    /// What a visitor typed as their nick; None for a proven buyer.
    pub claimed_nick: Option<String>,
    pub order_id: Option<Uuid>,
    pub proof: Proof,
}

pub async fn create(
    tx: &mut Tx, token_hash: &str, buyer_id: Uuid, order_id: Option<Uuid>, proof: Proof, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO chat_sessions (token_hash, buyer_id, order_id, proof, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash).bind(buyer_id).bind(order_id).bind(proof).bind(now).execute(c).await)?;
    Ok(())
}

/// The session of a token hash, if it was made after `since` (older ones have ended).
pub async fn find(db: &Db, token_hash: &str, since: DateTime<Utc>) -> StoreResult<Option<ChatSessionRow>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT c.buyer_id, b.nick, b.claimed_nick, c.order_id, c.proof
         FROM chat_sessions c JOIN buyers b ON b.id = c.buyer_id WHERE c.token_hash = $1 AND c.created_at > $2")
        .bind(token_hash).bind(since).fetch_optional(p).await)?)
}

/// Deletes sessions made before `before` (housekeeping; index `chat_sessions_by_created`).
pub async fn purge(db: &Db, before: DateTime<Utc>) -> StoreResult<u64> {
    let done = exec_pool!(db.write(), p => sqlx::query("DELETE FROM chat_sessions WHERE created_at <= $1")
        .bind(before).execute(p).await)?;
    Ok(done)
}

/// Ends a browser's session (the buyer left).
pub async fn delete(tx: &mut Tx, token_hash: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("DELETE FROM chat_sessions WHERE token_hash = $1").bind(token_hash).execute(c).await)?;
    Ok(())
}
