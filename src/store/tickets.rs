//! Tickets (工单), their messages and their audit events.

use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::{AuthorKind, Category, Channel, Priority, Stage, TicketStatus};
use crate::{exec_tx, on_pool, on_tx};

#[derive(Debug, Clone, FromRow)]
pub struct TicketSummary {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub created_at: DateTime<Utc>,
    pub last_message_at: DateTime<Utc>,
    pub assignee_name: Option<String>,
}

pub struct NewTicket<'a> {
    pub buyer_id: Uuid,
    pub order_id: Option<Uuid>,
    pub subject: &'a str,
    pub stage: Stage,
    pub category: Category,
    pub status: TicketStatus,
    pub priority: Priority,
    pub channel: Channel,
    pub assignee_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Takes the next short ticket number inside the caller's transaction.
async fn next_number(tx: &mut Tx) -> StoreResult<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value")
        .fetch_one(c).await)?;
    Ok(n)
}

/// Inserts a ticket; returns its id and short number.
pub async fn insert(tx: &mut Tx, t: &NewTicket<'_>) -> StoreResult<(Uuid, i64)> {
    let id = super::new_id();
    let number = next_number(tx).await?;
    let waiting = t.status.is_active().then_some(t.created_at);
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO tickets (id, number, buyer_id, order_id, subject, stage, category, status, priority, channel,
            assignee_id, created_at, updated_at, last_message_at, waiting_since)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $13)")
        .bind(id).bind(number).bind(t.buyer_id).bind(t.order_id).bind(t.subject).bind(t.stage)
        .bind(t.category).bind(t.status).bind(t.priority).bind(t.channel).bind(t.assignee_id)
        .bind(t.created_at).bind(waiting).execute(c).await)?;
    Ok((id, number))
}

/// Appends a message and keeps the ticket's message times in step.
pub async fn insert_message(
    tx: &mut Tx,
    ticket_id: Uuid,
    author: AuthorKind,
    staff_id: Option<Uuid>,
    body: &str,
    internal: bool,
    at: DateTime<Utc>,
) -> StoreResult<Uuid> {
    let id = super::new_id();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO ticket_messages (id, ticket_id, author_kind, staff_id, body, internal, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id).bind(ticket_id).bind(author).bind(staff_id).bind(body).bind(internal).bind(at)
        .execute(c).await)?;
    if !internal {
        // A staff reply stops the waiting clock and records the first response; a buyer
        // message starts the clock if it was not running.
        let sql = match author {
            AuthorKind::Buyer => "UPDATE tickets SET last_message_at = $2, waiting_since = COALESCE(waiting_since, $2) WHERE id = $1",
            AuthorKind::Staff => "UPDATE tickets SET last_message_at = $2, waiting_since = NULL, first_response_at = COALESCE(first_response_at, $2) WHERE id = $1",
            AuthorKind::System => "UPDATE tickets SET last_message_at = $2 WHERE id = $1",
        };
        exec_tx!(tx, c => sqlx::query(sql).bind(ticket_id).bind(at).execute(c).await)?;
    }
    Ok(id)
}

pub async fn insert_event(tx: &mut Tx, ticket_id: Uuid, staff_id: Option<Uuid>, kind: &str, detail: &str, at: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO ticket_events (id, ticket_id, staff_id, kind, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(super::new_id()).bind(ticket_id).bind(staff_id).bind(kind).bind(detail).bind(at)
        .execute(c).await)?;
    Ok(())
}

/// Sets status and assignee directly (imports and demo data, which bring finished history).
/// A status that no longer waits on us clears the waiting clock.
pub async fn set_state(
    tx: &mut Tx,
    id: Uuid,
    status: TicketStatus,
    assignee: Option<Uuid>,
    resolved_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let stop_clock = matches!(status, TicketStatus::WaitingBuyer | TicketStatus::Resolved | TicketStatus::Closed);
    exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET status = $2, assignee_id = $3, resolved_at = $4, updated_at = $5,
            waiting_since = CASE WHEN $6 THEN NULL ELSE waiting_since END WHERE id = $1")
        .bind(id).bind(status).bind(assignee).bind(resolved_at).bind(at).bind(stop_clock)
        .execute(c).await)?;
    Ok(())
}

/// Open (active) tickets per stage, for the home page and the inbox tabs. Reads only the
/// `tickets_inbox` index entries of active statuses, never closed history.
pub async fn open_counts(db: &Db) -> StoreResult<Vec<(Stage, i64)>> {
    let rows: Vec<(Stage, i64)> = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT stage, COUNT(*) FROM tickets
         WHERE status IN ('new', 'open', 'waiting_buyer', 'waiting_internal') GROUP BY stage")
        .fetch_all(p).await)?;
    Ok(Stage::ALL
        .iter()
        .map(|s| (*s, rows.iter().find(|(r, _)| r == s).map_or(0, |(_, n)| *n)))
        .collect())
}

/// Active tickets assigned to one staff member, and those nobody has, per stage.
pub async fn my_open_count(db: &Db, staff_id: Uuid) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT COUNT(*) FROM tickets WHERE assignee_id = $1
         AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')")
        .bind(staff_id).fetch_one(p).await)?;
    Ok(n)
}

pub async fn unassigned_count(db: &Db) -> StoreResult<i64> {
    let (n,): (i64,) = on_pool!(db.read(), p => sqlx::query_as(
        "SELECT COUNT(*) FROM tickets WHERE assignee_id IS NULL
         AND status IN ('new', 'open', 'waiting_buyer', 'waiting_internal')")
        .fetch_one(p).await)?;
    Ok(n)
}

const SUMMARY: &str = "SELECT t.id, t.number, t.subject, t.stage, t.category, t.status, t.priority,
    t.created_at, t.last_message_at, s.display_name AS assignee_name
    FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id";

pub async fn for_buyer(db: &Db, buyer_id: Uuid) -> StoreResult<Vec<TicketSummary>> {
    let sql = format!("{SUMMARY} WHERE t.buyer_id = $1 ORDER BY t.created_at DESC LIMIT 50");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(buyer_id).fetch_all(p).await)?)
}

pub async fn for_order(db: &Db, order_id: Uuid) -> StoreResult<Vec<TicketSummary>> {
    let sql = format!("{SUMMARY} WHERE t.order_id = $1 ORDER BY t.created_at DESC LIMIT 50");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(order_id).fetch_all(p).await)?)
}

/// The oldest waiting active tickets, for the home page's "waiting longest" list.
pub async fn longest_waiting(db: &Db, limit: i64) -> StoreResult<Vec<TicketSummary>> {
    let sql = format!("{SUMMARY} WHERE t.status IN ('new', 'open', 'waiting_internal') AND t.waiting_since IS NOT NULL
        ORDER BY t.waiting_since LIMIT $1");
    Ok(on_pool!(db.read(), p => sqlx::query_as(&sql).bind(limit).fetch_all(p).await)?)
}
