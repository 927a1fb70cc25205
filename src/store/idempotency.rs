//! Remembered answers to API requests sent with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

/// A stored answer: the request it answered (method and path), status and JSON body.
pub struct Stored {
    pub request: String,
    pub status: i32,
    pub body: String,
}

/// Keys are per API token, so two integrations cannot see each other's answers.
pub async fn get(db: &Db, token_id: Uuid, key: &str) -> StoreResult<Option<Stored>> {
    let row: Option<(String, i32, String)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT request, status, body FROM idempotency_keys WHERE key = $1 AND token_id = $2")
        .bind(key).bind(token_id).fetch_optional(p).await)?;
    Ok(row.map(|(request, status, body)| Stored { request, status, body }))
}

/// Stores the first answer for a key; a concurrent duplicate keeps the first.
pub async fn put(
    db: &Db, token_id: Uuid, key: &str, request: &str, status: i32, body: &str, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO idempotency_keys (key, token_id, request, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (token_id, key) DO NOTHING")
        .bind(key).bind(token_id).bind(request).bind(status).bind(body).bind(now).execute(p).await)?;
    Ok(())
}
