//! Shop settings as key/value text.

use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

pub async fn get(db: &Db, key: &str) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

pub async fn all(db: &Db) -> StoreResult<Vec<(String, String)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as("SELECT key, value FROM settings ORDER BY key").fetch_all(p).await)?)
}

pub async fn set(db: &Db, key: &str, value: &str) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key).bind(value).execute(p).await)?;
    Ok(())
}
