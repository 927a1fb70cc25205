//! The supervisor's queue board: counts per stage and team, and each agent's load. Both read
//! active tickets only (the partial queue indexes), never the closed history.

use crate::active_in;
use chrono::{DateTime, Utc};
use sqlx::FromRow;
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::{Presence, Priority, Stage};
use crate::{exec_tx, on_pool, on_tx, tasks_after};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct QueueCounts {
    pub stage: Stage,
    pub team: String,
    pub unassigned: i64,
    pub open: i64,
    pub breached: i64,
    pub due_soon: i64,
}

/// Counts per stage and team; "due soon" = a due time within `soon` from `now`.
pub async fn counts(db: &Db, now: DateTime<Utc>, soon: DateTime<Utc>) -> StoreResult<Vec<QueueCounts>> {
    db.memo
        .get("board_counts".to_string(), || async {
            Ok(on_pool!(db.read(), p => sqlx::query_as(
                concat!("SELECT stage, COALESCE(team, '') AS team,
                    CAST(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS unassigned,
                    COUNT(*) AS open,
                    CAST(SUM(CASE WHEN breached THEN 1 ELSE 0 END) AS BIGINT) AS breached,
                    CAST(SUM(CASE WHEN NOT breached AND sla_paused_at IS NULL
                        AND ((first_response_at IS NULL AND first_response_due >= $1 AND first_response_due < $2)
                             OR (resolution_due >= $1 AND resolution_due < $2)) THEN 1 ELSE 0 END) AS BIGINT) AS due_soon
                 FROM tickets WHERE status IN ", active_in!(), "
                 GROUP BY stage, COALESCE(team, '') ORDER BY stage, team"))
                .bind(now).bind(soon).fetch_all(p).await)?)
        })
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct AgentLoad {
    pub id: Uuid,
    pub display_name: String,
    pub presence: Presence,
    pub capacity: i64,
    pub on_shift: bool,
    pub open: i64,
    /// Of the open ones, automatic tasks (the agent's 任务 lane).
    pub tasks: i64,
    pub oldest_waiting: Option<DateTime<Utc>>,
}

pub async fn agents(db: &Db, now: DateTime<Utc>) -> StoreResult<Vec<AgentLoad>> {
    db.memo
        .get("board_agents".to_string(), || async {
            Ok(on_pool!(db.read(), p => sqlx::query_as(
                concat!("SELECT s.id, s.display_name, s.presence, s.capacity,
                    EXISTS (SELECT 1 FROM shifts h WHERE h.staff_id = s.id AND h.starts_at <= $1 AND h.ends_at > $1) AS on_shift,
                    (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = s.id AND t.status IN ", active_in!(), ") AS open,
                    (SELECT COUNT(*) FROM tickets t WHERE t.is_task AND t.urgency >= ", tasks_after!(),
                        " AND t.assignee_id = s.id AND t.status IN ", active_in!(), ") AS tasks,
                    (SELECT MIN(t.waiting_since) FROM tickets t WHERE t.assignee_id = s.id AND t.status IN ", active_in!(), ") AS oldest_waiting
                 FROM staff s WHERE s.active ORDER BY s.display_name"))
                .bind(now).fetch_all(p).await)?)
        })
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct BoardTicket {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub stage: Stage,
    pub priority: Priority,
    pub breached: bool,
    pub assignee_name: Option<String>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Tickets that need a supervisor: unassigned or breached, oldest first.
pub async fn attention(db: &Db, limit: i64) -> StoreResult<Vec<BoardTicket>> {
    db.memo
        .get(format!("board_attention:{limit}"), || async {
            Ok(on_pool!(db.read(), p => sqlx::query_as(
                concat!("SELECT t.id, t.number, t.subject, t.stage, t.priority, t.breached, s.display_name AS assignee_name, t.waiting_since, t.created_at
                 FROM tickets t LEFT JOIN staff s ON s.id = t.assignee_id
                 WHERE t.status IN ", active_in!(), " AND (t.assignee_id IS NULL OR t.breached)
                 ORDER BY t.created_at LIMIT $1"))
                .bind(limit).fetch_all(p).await)?)
        })
        .await
}

/// Active tickets of one agent.
pub async fn of_agent_tx(tx: &mut Tx, staff_id: Uuid) -> StoreResult<Vec<(Uuid, Option<String>)>> {
    Ok(on_tx!(tx, c => sqlx::query_as(
        concat!("SELECT id, team FROM tickets WHERE assignee_id = $1 AND status IN ", active_in!(), " ORDER BY created_at"))
        .bind(staff_id).fetch_all(c).await)?)
}

/// Sets the assignee of an active ticket (a supervisor's override). False if no such ticket.
pub async fn set_assignee_tx(tx: &mut Tx, id: Uuid, assignee: Option<Uuid>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        concat!("UPDATE tickets SET assignee_id = $2, version = version + 1 WHERE id = $1 AND status IN ", active_in!()))
        .bind(id).bind(assignee).execute(c).await)?;
    Ok(n == 1)
}

pub async fn set_priority_tx(tx: &mut Tx, id: Uuid, priority: Priority) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query("UPDATE tickets SET priority = $2, version = version + 1 WHERE id = $1")
        .bind(id).bind(priority).execute(c).await)?;
    Ok(n == 1)
}
