//! Shop settings as key/value text; [`crate::domain::settings`] gives them their types.

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

/// Every stored setting. Read on every page, so remembered for a moment (see
/// [`super::memo`]); a save on this instance is seen at once ([`forget`]).
pub async fn all(db: &Db) -> StoreResult<Vec<(String, String)>> {
    db.memo
        .get(KEY.to_string(), || async {
            Ok(on_pool!(db.read(), p => sqlx::query_as("SELECT key, value FROM settings ORDER BY key").fetch_all(p).await)?)
        })
        .await
}

const KEY: &str = "settings";

/// Drops the remembered settings after a change has been committed.
pub fn forget(db: &Db) {
    db.memo.forget(KEY);
}

/// One stored value, as text.
pub async fn get(db: &Db, key: &str) -> StoreResult<Option<String>> {
    let row: Option<(String,)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(p).await)?;
    Ok(row.map(|r| r.0))
}

/// Writes one value (insert or replace).
pub async fn set(tx: &mut Tx, key: &str, value: &str) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
        .bind(key).bind(value).execute(c).await)?;
    Ok(())
}

/// Writes each pair.
pub async fn set_all(tx: &mut Tx, pairs: &[(String, String)]) -> StoreResult<()> {
    for (key, value) in pairs {
        set(tx, key, value).await?;
    }
    Ok(())
}
