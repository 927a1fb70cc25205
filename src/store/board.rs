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
///
/// Two statements: the open, unassigned and breached counts from the covering `tickets_board`
/// alone, and the tickets due soon from the two due-time ranges (`tickets_due`,
/// `tickets_first_due`) and those tickets' rows. One statement testing every active ticket's
/// due times read each ticket's row: 100 ms a count with a 50k backlog.
pub async fn counts(db: &Db, now: DateTime<Utc>, soon: DateTime<Utc>) -> StoreResult<Vec<QueueCounts>> {
    db.memo
        .get("board_counts".to_string(), || async {
            let open = async {
                let rows: Vec<(Stage, Option<String>, i64, i64, i64)> = on_pool!(db.read(), p => sqlx::query_as(
                    concat!("SELECT stage, team,
                        CAST(SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END) AS BIGINT),
                        COUNT(*),
                        CAST(SUM(CASE WHEN breached THEN 1 ELSE 0 END) AS BIGINT)
                     FROM tickets WHERE status IN ", active_in!(), " GROUP BY stage, team"))
                    .fetch_all(p).await)?;
                Ok::<_, super::StoreError>(rows)
            };
            let due = async {
                let rows: Vec<(Stage, Option<String>, i64)> = on_pool!(db.read(), p => sqlx::query_as(
                    // The two ranges as two searches: written as one OR, SQLite walked the
                    // board's index for its grouping order and read all 50k rows (71 ms
                    // against 0.4 ms).
                    concat!("SELECT stage, team, COUNT(*) FROM tickets
                     WHERE id IN (
                       SELECT id FROM tickets WHERE first_response_at IS NULL AND status IN ", active_in!(), "
                         AND first_response_due >= $1 AND first_response_due < $2
                       UNION
                       SELECT id FROM tickets WHERE status IN ", active_in!(), "
                         AND resolution_due >= $1 AND resolution_due < $2)
                     AND NOT breached AND sla_paused_at IS NULL
                     GROUP BY stage, team"))
                    .bind(now).bind(soon).fetch_all(p).await)?;
                Ok(rows)
            };
            let (open, due) = tokio::try_join!(open, due)?;
            Ok(merge_counts(open, due))
        })
        .await
}

/// One line per stage and team (no team and an empty one are the same line), in order.
fn merge_counts(
    open: Vec<(Stage, Option<String>, i64, i64, i64)>, due: Vec<(Stage, Option<String>, i64)>,
) -> Vec<QueueCounts> {
    type Lines = std::collections::BTreeMap<(Stage, String), QueueCounts>;
    fn line(lines: &mut Lines, stage: Stage, team: Option<String>) -> &mut QueueCounts {
        let team = team.unwrap_or_default();
        lines.entry((stage, team.clone())).or_insert(QueueCounts {
            stage,
            team,
            unassigned: 0,
            open: 0,
            breached: 0,
            due_soon: 0,
        })
    }
    let mut lines = Lines::new();
    for (stage, team, unassigned, open, breached) in open {
        let l = line(&mut lines, stage, team);
        (l.unassigned, l.open, l.breached) = (l.unassigned + unassigned, l.open + open, l.breached + breached);
    }
    for (stage, team, due_soon) in due {
        line(&mut lines, stage, team).due_soon += due_soon;
    }
    lines.into_values().collect()
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

#[cfg(test)]
mod tests {
    use super::merge_counts;
    use crate::domain::Stage;

    #[test]
    fn counts_and_due_times_merge_into_one_line_per_stage_and_team() {
        let open = vec![
            (Stage::Presale, Some("presale".to_string()), 2, 5, 1),
            (Stage::Aftersale, None, 1, 1, 0),
            (Stage::Aftersale, Some(String::new()), 0, 2, 1),
        ];
        // A due-soon line for a team the first list has, and one for a team it has not.
        let due =
            vec![(Stage::Presale, Some("presale".to_string()), 3), (Stage::Insale, Some("insale".to_string()), 1)];
        let lines = merge_counts(open, due);
        let got: Vec<_> =
            lines.iter().map(|l| (l.stage, l.team.as_str(), l.unassigned, l.open, l.breached, l.due_soon)).collect();
        assert_eq!(
            got,
            vec![
                (Stage::Presale, "presale", 2, 5, 1, 3),
                (Stage::Insale, "insale", 0, 0, 0, 1),
                (Stage::Aftersale, "", 1, 3, 1, 0),
            ]
        );
    }
}
