//! Planned shifts (排班).

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct Shift {
    pub id: Uuid,
    pub staff_id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

pub async fn insert(
    tx: &mut Tx, staff_id: Uuid, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query("INSERT INTO shifts (id, staff_id, starts_at, ends_at) VALUES ($1, $2, $3, $4)")
        .bind(id).bind(staff_id).bind(starts_at).bind(ends_at).execute(c).await)?;
    Ok(id)
}

/// Shifts overlapping [from, to), everyone's.
pub async fn between(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Shift>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id, staff_id, starts_at, ends_at FROM shifts WHERE starts_at < $2 AND ends_at > $1 ORDER BY starts_at")
        .bind(from).bind(to).fetch_all(p).await)?)
}

/// One agent's shifts overlapping [from, to), inside a transaction (overlap checks).
pub async fn of_staff_tx(
    tx: &mut Tx, staff_id: Uuid, from: DateTime<Utc>, to: DateTime<Utc>,
) -> StoreResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        "SELECT starts_at, ends_at FROM shifts WHERE staff_id = $1 AND starts_at < $3 AND ends_at > $2")
        .bind(staff_id).bind(from).bind(to).fetch_all(c).await)?)
}

pub async fn delete(db: &Db, id: Uuid) -> StoreResult<bool> {
    let mut tx = db.begin().await?;
    let n = exec_tx!(&mut tx, c => sqlx::query("DELETE FROM shifts WHERE id = $1").bind(id).execute(c).await)?;
    tx.commit().await?;
    Ok(n == 1)
}
