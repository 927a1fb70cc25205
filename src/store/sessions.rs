//! Login sessions, kept in the database so they survive restarts and are shared by instances.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::staff::Staff;
use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

pub async fn create(
    db: &Db, token_hash: &str, staff_id: Uuid, csrf_token: &str, now: DateTime<Utc>, expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash).bind(staff_id).bind(csrf_token).bind(now).bind(expires_at)
        .execute(p).await)?;
    Ok(())
}

/// The live session for a token hash: its staff member (active only) and CSRF token.
pub async fn find(db: &Db, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<(Staff, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        staff: Staff,
        csrf_token: String,
    }
    let row: Option<Row> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT s.id, s.username, s.display_name, '' AS password_hash, s.role, s.presence, s.capacity,
                s.lang, s.active, s.created_at, s.last_seen_at, x.csrf_token
         FROM sessions x JOIN staff s ON s.id = x.staff_id
         WHERE x.token_hash = $1 AND x.expires_at > $2 AND s.active")
        .bind(token_hash).bind(now).fetch_optional(p).await)?;
    Ok(row.map(|r| (r.staff, r.csrf_token)))
}

pub async fn delete(db: &Db, token_hash: &str) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash).execute(p).await)?;
    Ok(())
}

pub async fn purge_expired(db: &Db, now: DateTime<Utc>) -> StoreResult<u64> {
    let done = exec_pool!(db.write(), p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now).execute(p).await)?;
    Ok(done)
}
