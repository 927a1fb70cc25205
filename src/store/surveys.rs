//! Survey links: issued per buyer, answered once.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool, on_tx};

/// Records link `id` for a buyer; an existing link with the id (a retried delivery) stays.
pub async fn insert(
    tx: &mut Tx, id: Uuid, buyer_id: Uuid, campaign_id: Option<Uuid>, expires_at: DateTime<Utc>, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO survey_links (id, buyer_id, campaign_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING")
        .bind(id).bind(buyer_id).bind(campaign_id).bind(expires_at).bind(now).execute(c).await)?;
    Ok(())
}

/// A link's buyer and whether it was answered already.
pub async fn get(db: &Db, id: Uuid) -> StoreResult<Option<(Uuid, Option<DateTime<Utc>>)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as("SELECT buyer_id, answered_at FROM survey_links WHERE id = $1")
        .bind(id).fetch_optional(p).await)?)
}

/// Marks link `id` answered if it was not yet; returns its buyer. Concurrent answers race
/// on this one row: exactly one gets the buyer back.
pub async fn answer(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<Uuid>> {
    Ok(on_tx!(tx, c => sqlx::query_as::<_, (Uuid,)>(
        "UPDATE survey_links SET answered_at = $2 WHERE id = $1 AND answered_at IS NULL RETURNING buyer_id")
        .bind(id).bind(now).fetch_optional(c).await)?
    .map(|(b,)| b))
}

/// Sets a buyer's birthday (a survey answer).
pub async fn set_birthday(
    tx: &mut Tx, buyer_id: Uuid, birthday: chrono::NaiveDate, now: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE buyers SET birthday = $2, updated_at = $3 WHERE id = $1")
        .bind(buyer_id).bind(birthday).bind(now).execute(c).await)?;
    Ok(())
}
