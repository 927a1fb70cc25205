//! Canned replies (快捷短语): shared by the team or personal to one staff member.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

#[derive(Debug, Clone, FromRow)]
pub struct Reply {
    pub id: Uuid,
    pub grp: String,
    pub stage: String,
    pub title: String,
    pub shortcut: String,
    pub body: String,
    pub owner_id: Option<Uuid>,
    pub usage_count: i64,
}

pub struct NewReply<'a> {
    pub group: &'a str,
    pub stage: &'a str,
    pub title: &'a str,
    pub shortcut: &'a str,
    pub body: &'a str,
    pub owner_id: Option<Uuid>,
    pub position: i64,
}

pub async fn insert_reply(tx: &mut Tx, r: &NewReply<'_>, now: DateTime<Utc>) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO canned_replies (id, grp, stage, title, shortcut, body, owner_id, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
        .bind(id).bind(r.group).bind(r.stage).bind(r.title).bind(r.shortcut).bind(r.body)
        .bind(r.owner_id).bind(r.position).bind(now).execute(c).await)?;
    Ok(id)
}

/// The replies `staff_id` may use (shared ones and their own), in display order.
pub async fn usable_by(db: &Db, staff_id: Uuid) -> StoreResult<Vec<Reply>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id, grp, stage, title, shortcut, body, owner_id, usage_count FROM canned_replies
         WHERE owner_id IS NULL OR owner_id = $1 ORDER BY stage, grp, position, title")
        .bind(staff_id).fetch_all(p).await)?)
}

pub async fn by_id(db: &Db, id: Uuid, staff_id: Uuid) -> StoreResult<Option<Reply>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        "SELECT id, grp, stage, title, shortcut, body, owner_id, usage_count FROM canned_replies
         WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)")
        .bind(id).bind(staff_id).fetch_optional(p).await)?)
}

/// Counts one use of a reply (it was inserted into a message that was sent).
pub async fn record_use(tx: &mut Tx, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE canned_replies SET usage_count = usage_count + 1, last_used_at = $2 WHERE id = $1")
        .bind(id).bind(at).execute(c).await)?;
    Ok(())
}

pub async fn usage_count(db: &Db, id: Uuid) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT usage_count FROM canned_replies WHERE id = $1").bind(id).fetch_one(p).await)?;
    Ok(n)
}

