//! Failed attempts counted per key (an order number, a client address …) in a fixed window.
//! Kept in the database, so every instance on the store counts together and a restart does
//! not wipe the count.

use chrono::{DateTime, Duration, Utc};

use super::{Db, StoreResult};
use crate::{exec_pool, on_pool};

/// The failures recorded for `key` in the window open at `now`, and when that window closes;
/// None when no window is open.
pub async fn open_window(
    db: &Db, key: &str, window: Duration, now: DateTime<Utc>,
) -> StoreResult<Option<(i64, DateTime<Utc>)>> {
    let row: Option<(i64, DateTime<Utc>)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT failures, window_start FROM throttle WHERE key = $1 AND window_start > $2")
        .bind(key).bind(now - window).fetch_optional(p).await)?;
    Ok(row.map(|(n, start)| (n, start + window)))
}

/// Counts one more failure for `key`: in the open window, or as the first of a new one.
/// One statement, so concurrent failures on several instances all count.
pub async fn fail(db: &Db, key: &str, window: Duration, now: DateTime<Utc>) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query(
        "INSERT INTO throttle (key, window_start, failures) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN throttle.window_start > $3 THEN throttle.failures + 1 ELSE 1 END,
            window_start = CASE WHEN throttle.window_start > $3 THEN throttle.window_start ELSE $2 END")
        .bind(key).bind(now).bind(now - window).execute(p).await)?;
    Ok(())
}

/// Forgets the failures of `key` (a proof that succeeded).
pub async fn clear(db: &Db, key: &str) -> StoreResult<()> {
    exec_pool!(db.write(), p => sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(p).await)?;
    Ok(())
}

/// Forgets windows that have closed (housekeeping).
pub async fn purge(db: &Db, older_than: DateTime<Utc>) -> StoreResult<u64> {
    let done = exec_pool!(db.write(), p => sqlx::query("DELETE FROM throttle WHERE window_start <= $1")
        .bind(older_than).execute(p).await)?;
    Ok(done)
}
