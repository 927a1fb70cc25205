//! Buyer chat sessions of the `/chat` page: a cookie token (hashed here) → buyer and order.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

pub async fn create(
    tx: &mut Tx, token_hash: &str, buyer_id: Uuid, order_id: Option<Uuid>, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO chat_sessions (token_hash, buyer_id, order_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash).bind(buyer_id).bind(order_id).bind(now).execute(c).await)?;
    Ok(())
}

/// The buyer id, nick and order id of a chat session.
pub async fn find(db: &Db, token_hash: &str) -> StoreResult<Option<(Uuid, String, Option<Uuid>)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT c.buyer_id, b.nick, c.order_id FROM chat_sessions c JOIN buyers b ON b.id = c.buyer_id WHERE c.token_hash = $1")
        .bind(token_hash).fetch_optional(p).await)?)
}
