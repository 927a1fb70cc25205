//! Keys every instance must share (the chat entry-link signing key). The first instance to
//! ask makes one; the others read it, so links signed by one instance open on another.

use chrono::{DateTime, Utc};

use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

/// The value of secret `name`, stored as `fresh` if there was none yet. A concurrent first
/// call on another instance may win the insert; both then read the same winner.
pub async fn get_or_create(db: &Db, name: &str, fresh: &str, now: DateTime<Utc>) -> StoreResult<String> {
    if let Some((value,)) = on_pool!(db.read(), p => sqlx::query_as::<_, (String,)>(
        "SELECT value FROM app_secrets WHERE name = $1").bind(name).fetch_optional(p).await)?
    {
        return Ok(value);
    }
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO app_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .bind(name).bind(fresh).bind(now).execute(p).await)?;
    let (value,): (String,) = on_pool!(db.write(), p => sqlx::query_as(
        "SELECT value FROM app_secrets WHERE name = $1").bind(name).fetch_one(p).await)?;
    Ok(value)
}
