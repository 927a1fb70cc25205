//! Canned replies (快捷短语): shared by the team or personal to one staff member.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::{exec_tx, on_pool};

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
    super::search::index(tx, super::search::DocKind::Reply, id, &format!("{} {} {}", r.shortcut, r.title, r.body))
        .await?;
    Ok(id)
}

/// The replies `staff_id` may use (shared ones and their own), in display order. Every ticket
/// page shows them, so the shop's replies are read at most once a second per instance (a
/// change on this instance is seen at once: [`forget`]).
pub async fn usable_by(db: &Db, staff_id: Uuid) -> StoreResult<Vec<ReplyRow>> {
    let all: Arc<Vec<ReplyRow>> = db
        .memo
        .get(MEMO_KEY.to_string(), || async {
            let sql = format!("{ROW} ORDER BY stage, grp, position, title LIMIT 5000");
            let rows: Vec<ReplyRow> = on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await)?;
            Ok(Arc::new(rows))
        })
        .await?;
    Ok(all.iter().filter(|r| r.owner_id.is_none_or(|o| o == staff_id)).cloned().collect())
}

const MEMO_KEY: &str = "replies";

/// Drops the remembered replies after a change has been committed.
pub fn forget(db: &Db) {
    db.memo.forget(MEMO_KEY);
}

/// A reply `staff_id` may use (shared, or their own).
pub async fn by_id(db: &Db, id: Uuid, staff_id: Uuid) -> StoreResult<Option<ReplyRow>> {
    let sql = format!("{ROW} WHERE id = $1 AND (owner_id IS NULL OR owner_id = $2)");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).bind(staff_id).fetch_optional(p).await)?)
}

/// Counts one use of a reply by `staff_id` (it was inserted into a message that was sent):
/// for the shop and for the agent.
pub async fn record_use(tx: &mut Tx, id: Uuid, staff_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE canned_replies SET usage_count = usage_count + 1, last_used_at = $2 WHERE id = $1")
        .bind(id).bind(at).execute(c).await)?;
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO canned_usage (staff_id, reply_id, uses, last_used_at) SELECT $1, id, 1, $3 FROM canned_replies WHERE id = $2
         ON CONFLICT (staff_id, reply_id) DO UPDATE SET uses = canned_usage.uses + 1, last_used_at = excluded.last_used_at")
        .bind(staff_id).bind(id).bind(at).execute(c).await)?;
    Ok(())
}

/// How often `staff_id` used each reply they ever used: (reply, uses).
pub async fn usage_of(db: &Db, staff_id: Uuid) -> StoreResult<Vec<(Uuid, i64)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(USAGE).bind(staff_id).fetch_all(p).await)?)
}

const USAGE: &str = "SELECT reply_id, uses FROM canned_usage WHERE staff_id = $1 LIMIT 5000";

/// How often a staff member sent a reply, as a combined read hands it over.
#[derive(serde::Deserialize)]
pub(crate) struct Usage {
    reply_id: Uuid,
    uses: i64,
}

impl From<Usage> for (Uuid, i64) {
    fn from(u: Usage) -> (Uuid, i64) {
        (u.reply_id, u.uses)
    }
}

/// [`usage_of`] as a part of a combined read (rows: [`Usage`]).
pub(crate) fn usage_part(staff_id: Uuid) -> super::json_rows::Part<'static> {
    super::json_rows::Part::new(USAGE, staff_id)
}

pub async fn usage_count(db: &Db, id: Uuid) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT usage_count FROM canned_replies WHERE id = $1").bind(id).fetch_one(p).await)?;
    Ok(n)
}

/// A canned reply with its bookkeeping.
#[derive(Debug, Clone, FromRow)]
pub struct ReplyRow {
    pub id: Uuid,
    pub grp: crate::domain::ReplyGroup,
    pub stage: String,
    pub title: String,
    pub shortcut: String,
    pub body: String,
    pub owner_id: Option<Uuid>,
    pub position: i64,
    pub usage_count: i64,
    pub last_used_at: Option<DateTime<Utc>>,
}

const ROW: &str =
    "SELECT id, grp, stage, title, shortcut, body, owner_id, position, usage_count, last_used_at FROM canned_replies";

/// Shared replies and `staff_id`'s personal ones, in display order.
pub async fn list(db: &Db, staff_id: Uuid) -> StoreResult<Vec<ReplyRow>> {
    let sql =
        format!("{ROW} WHERE owner_id IS NULL OR owner_id = $1 ORDER BY owner_id IS NOT NULL, grp, position, title");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(staff_id).fetch_all(p).await)?)
}

/// Shared replies only (CSV export).
pub async fn shared(db: &Db) -> StoreResult<Vec<ReplyRow>> {
    let sql = format!("{ROW} WHERE owner_id IS NULL ORDER BY grp, position, title");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).fetch_all(p).await)?)
}

pub async fn row(db: &Db, id: Uuid) -> StoreResult<Option<ReplyRow>> {
    let sql = format!("{ROW} WHERE id = $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?)
}

/// Every shortcut in use (any owner): shortcuts are unique so "/" finds one reply.
pub async fn shortcuts(db: &Db) -> StoreResult<Vec<(Uuid, String)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as("SELECT id, shortcut FROM canned_replies").fetch_all(p).await)?)
}

pub async fn update(tx: &mut Tx, id: Uuid, r: &NewReply<'_>, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE canned_replies SET grp = $2, stage = $3, title = $4, shortcut = $5, body = $6, owner_id = $7, updated_at = $8 WHERE id = $1")
        .bind(id).bind(r.group).bind(r.stage).bind(r.title).bind(r.shortcut).bind(r.body).bind(r.owner_id).bind(now)
        .execute(c).await)?;
    super::search::index(tx, super::search::DocKind::Reply, id, &format!("{} {} {}", r.shortcut, r.title, r.body))
        .await?;
    Ok(n == 1)
}

pub async fn delete(tx: &mut Tx, id: Uuid) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query("DELETE FROM canned_replies WHERE id = $1").bind(id).execute(c).await)?;
    super::search::remove(tx, super::search::DocKind::Reply, id).await?;
    Ok(n == 1)
}

pub async fn set_position(tx: &mut Tx, id: Uuid, position: i64) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE canned_replies SET position = $2 WHERE id = $1").bind(id).bind(position).execute(c).await)?;
    Ok(())
}

/// The next position at the end of a group.
pub async fn next_position(tx: &mut Tx, group: &str) -> StoreResult<i64> {
    let (n,): (i64,) = crate::on_tx!(tx, c => sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM canned_replies WHERE grp = $1")
        .bind(group).fetch_one(c).await)?;
    Ok(n)
}
