//! API bearer tokens. Only the SHA-256 of a token is stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

pub async fn insert(db: &Db, name: &str, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO api_tokens (id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id).bind(name).bind(token_hash).bind(now).execute(p).await)?;
    Ok(id)
}

/// The token's id and name if the hash belongs to a token that has not been revoked.
pub async fn find_live(db: &Db, token_hash: &str) -> StoreResult<Option<(Uuid, String)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id, name FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .bind(token_hash).fetch_optional(p).await)?)
}

/// Revokes every live token named `name`; returns how many.
pub async fn revoke(db: &Db, name: &str, now: DateTime<Utc>) -> StoreResult<u64> {
    Ok(exec_pool!(db.write(), p => sqlx::query(
        "UPDATE api_tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL")
        .bind(name).bind(now).execute(p).await)?)
}

/// Every token: name, created, revoked (if so), oldest first.
pub async fn list(db: &Db) -> StoreResult<Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT name, created_at, revoked_at FROM api_tokens ORDER BY created_at, id")
        .fetch_all(p).await)?)
}
