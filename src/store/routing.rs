//! What routing reads and writes: rules, team strategies, the team's agents right now, the
//! buyer's previous agent, and the assignment itself.

use crate::active_in;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Db, StoreResult, Tx};
use crate::domain::routing::{Agent, Plan, Rule, Strategy};
use crate::domain::{Category, Channel, Skill, Stage, TicketEvent};
use crate::{exec_tx, on_pool, on_tx};

type RuleRow = (Uuid, Option<Stage>, Option<Category>, Option<Channel>, Option<String>, Option<String>, Skill);

const RULES: &str =
    "SELECT id, stage, category, channel, member_level, keyword, team FROM routing_rules ORDER BY position, created_at";

fn to_rules(rows: Vec<RuleRow>) -> Vec<Rule> {
    rows.into_iter()
        .map(|(id, stage, category, channel, member_level, keyword, team)| Rule {
            id,
            stage,
            category,
            channel,
            member_level,
            keyword,
            team,
        })
        .collect()
}

/// The rules and strategies every new ticket is routed by. Read by each new conversation, so
/// remembered for a moment like the settings ([`super::memo`]); a change on this instance is
/// seen at once ([`forget`]), on another within the memo's second.
pub async fn plan(db: &Db) -> StoreResult<Plan> {
    db.memo
        .get(PLAN.to_string(), || async {
            let (rules, strategies) = tokio::try_join!(rules(db), strategies(db))?;
            Ok(Plan { rules, strategies })
        })
        .await
}

const PLAN: &str = "routing_plan";

/// Drops the remembered [`plan`] after a change to the rules or strategies has committed.
pub fn forget(db: &Db) {
    db.memo.forget(PLAN);
}

/// The rules in order.
pub async fn rules(on: impl Into<super::Exec<'_>>) -> StoreResult<Vec<Rule>> {
    Ok(to_rules(crate::on_exec!(on.into(), c => sqlx::query_as(RULES).fetch_all(c).await)?))
}

/// Serialises routing decisions for one team, so two tickets arriving together cannot both
/// see the same free slot. SQLite already has one writer; Postgres takes an advisory lock
/// held until the transaction ends. Whether a lock was taken: what was read before it may
/// have changed.
pub async fn lock_team(tx: &mut Tx, team: Skill) -> StoreResult<bool> {
    if let Tx::Pg(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('kefu.team.' || $1))")
            .bind(team.as_str())
            .execute(&mut **t)
            .await?;
        return Ok(true);
    }
    Ok(false)
}

/// The team's active agents with their load, capacity and availability at `now` (online and
/// on a shift that covers `now`).
pub async fn agents_tx(tx: &mut Tx, team: Skill, now: DateTime<Utc>) -> StoreResult<Vec<Agent>> {
    // (id, open, capacity, available, last assigned)
    type Row = (Uuid, i64, i64, bool, Option<DateTime<Utc>>);
    let rows: Vec<Row> = on_tx!(tx, c => sqlx::query_as(
        // An agent's load is counted up to just past the team's largest capacity: whoever
        // is at their capacity cannot take a ticket whatever the exact number, and anyone
        // below it is counted exactly. A backlog must not be counted on every new ticket:
        // at a million tickets, with each agent holding hundreds, counting to 501 (the most
        // a capacity may be) took 190-610 µs of the writer's time per team; to 21, 30 µs.
        concat!("SELECT s.id,
                (SELECT COUNT(*) FROM (SELECT 1 FROM tickets t WHERE t.assignee_id = s.id
                    AND t.status IN ", active_in!(), "
                    LIMIT (SELECT MAX(m.capacity) + 1 FROM staff m JOIN staff_skills mk ON mk.staff_id = m.id
                        WHERE mk.skill = $1)) mine) AS open,
                s.capacity,
                (s.presence = 'online' AND EXISTS (SELECT 1 FROM shifts h WHERE h.staff_id = s.id
                    AND h.starts_at <= $2 AND h.ends_at > $2)) AS available,
                s.last_assigned_at
         FROM staff s JOIN staff_skills k ON k.staff_id = s.id
         WHERE k.skill = $1 AND s.active ORDER BY s.id"))
        .bind(team).bind(now).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, open, capacity, available, last_assigned)| Agent { id, open, capacity, available, last_assigned })
        .collect())
}

/// Who last served this buyer (on another ticket) since `since`.
pub async fn previous_agent_tx(
    tx: &mut Tx, buyer_id: Uuid, except: Uuid, since: DateTime<Utc>,
) -> StoreResult<Option<Uuid>> {
    let row: Option<(Option<Uuid>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT assignee_id FROM tickets WHERE buyer_id = $1 AND id <> $2 AND assignee_id IS NOT NULL AND updated_at >= $3
         ORDER BY updated_at DESC LIMIT 1")
        .bind(buyer_id).bind(except).bind(since).fetch_optional(c).await)?;
    Ok(row.and_then(|r| r.0))
}

/// Puts a ticket in `team`'s queue, with `agent` if one was chosen and the SLA's due times
/// (first response, resolution) if given: one update of the ticket row.
pub async fn assign_tx(
    tx: &mut Tx, ticket_id: Uuid, team: Skill, agent: Option<Uuid>, due: Option<(DateTime<Utc>, DateTime<Utc>)>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    assign_with_event(tx, ticket_id, team, agent, due, None, now).await
}

/// [`assign_tx`] with the timeline's entry saying how routing decided, at `now`.
pub async fn assign_routed_tx(
    tx: &mut Tx, ticket_id: Uuid, team: Skill, agent: Option<Uuid>, due: Option<(DateTime<Utc>, DateTime<Utc>)>,
    routed: &TicketEvent, now: DateTime<Utc>,
) -> StoreResult<()> {
    assign_with_event(tx, ticket_id, team, agent, due, Some(routed), now).await
}

const ASSIGN: &str = "UPDATE tickets SET team = $2, assignee_id = COALESCE($3, assignee_id), version = version + 1,
        first_response_due = COALESCE($4, first_response_due), resolution_due = COALESCE($5, resolution_due)
     WHERE id = $1;";
const STAMP_AGENT: &str = "UPDATE staff SET last_assigned_at = $6 WHERE id = $3;";

async fn assign_with_event(
    tx: &mut Tx, ticket_id: Uuid, team: Skill, agent: Option<Uuid>, due: Option<(DateTime<Utc>, DateTime<Utc>)>,
    event: Option<&TicketEvent>, now: DateTime<Utc>,
) -> StoreResult<()> {
    let (first_due, resolution_due) = due.unzip();
    match tx {
        // One batch, one hand-off to the writer's thread: the ticket, the agent's turn (for
        // round-robin) and the timeline entry.
        Tx::Sqlite(c) => {
            let stamp = if agent.is_some() { STAMP_AGENT } else { "" };
            let entry = if event.is_some() { super::tickets::event_sql("$1", 7, "$6") } else { String::new() };
            let sql = format!("{ASSIGN}{stamp}{entry}");
            let q = sqlx::query_as::<_, ()>(&sql)
                .bind(ticket_id)
                .bind(team)
                .bind(agent)
                .bind(first_due)
                .bind(resolution_due)
                .bind(now);
            let q = match event {
                Some(e) => super::tickets::bind_event(q, e),
                None => q,
            };
            q.fetch_optional(&mut **c).await?;
        }
        Tx::Pg(c) => {
            sqlx::query(ASSIGN)
                .bind(ticket_id)
                .bind(team)
                .bind(agent)
                .bind(first_due)
                .bind(resolution_due)
                .execute(&mut **c)
                .await?;
            if let Some(a) = agent {
                stamp_agent_tx(tx, a, now).await?;
            }
            if let Some(e) = event {
                super::tickets::insert_event(tx, ticket_id, None, e, now).await?;
            }
        }
    }
    Ok(())
}

pub async fn set_due_tx(
    tx: &mut Tx, ticket_id: Uuid, first_response_due: DateTime<Utc>, resolution_due: DateTime<Utc>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET first_response_due = $2, resolution_due = $3 WHERE id = $1")
        .bind(ticket_id).bind(first_response_due).bind(resolution_due).execute(c).await)?;
    Ok(())
}

/// Unassigned active tickets of a team, oldest first (picked up when someone is free).
pub async fn unassigned(db: &Db, team: Skill, limit: i64) -> StoreResult<Vec<(Uuid, Uuid)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(
        concat!("SELECT id, buyer_id FROM tickets WHERE team = $1 AND assignee_id IS NULL
           AND status IN ", active_in!(), " ORDER BY created_at LIMIT $2"))
        .bind(team).bind(limit).fetch_all(p).await)?)
}

/// When the oldest ticket waiting in the team's queue (other than `except`) came in.
/// Read from the unassigned index's first entry.
pub async fn oldest_waiting_tx(tx: &mut Tx, team: Skill, except: Uuid) -> StoreResult<Option<DateTime<Utc>>> {
    let row: Option<(DateTime<Utc>,)> = on_tx!(tx, c => sqlx::query_as(
        concat!("SELECT created_at FROM tickets WHERE team = $1 AND assignee_id IS NULL
           AND status IN ", active_in!(), " AND id <> $2 ORDER BY created_at LIMIT 1"))
        .bind(team).bind(except).fetch_optional(c).await)?;
    Ok(row.map(|r| r.0))
}

/// Assigns an unassigned ticket, if it still is.
pub async fn pick_up_tx(tx: &mut Tx, ticket_id: Uuid, agent: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query("UPDATE tickets SET assignee_id = $2, version = version + 1 WHERE id = $1 AND assignee_id IS NULL")
        .bind(ticket_id).bind(agent).execute(c).await)?;
    if n == 1 {
        stamp_agent_tx(tx, agent, now).await?;
    }
    Ok(n == 1)
}

/// Marks the agent's turn (round-robin gives the next ticket to whoever waited longest).
async fn stamp_agent_tx(tx: &mut Tx, agent: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE staff SET last_assigned_at = $2 WHERE id = $1").bind(agent).bind(now).execute(c).await)?;
    Ok(())
}

/// Active tickets past a due time and not yet flagged, the oldest first. Tasks are not
/// buyers waiting: they show their due time in the 任务 lane and are never counted as
/// breached waits.
///
/// Each due time is its own range of an index holding only the tickets that can still breach
/// (`tickets_may_breach_first`, `tickets_may_breach`; their conditions written out so the
/// planner may use them): one condition with an OR walked every active ticket each round.
pub const NEWLY_BREACHED: &str = concat!(
    "SELECT id, buyer_id, stage FROM (
        SELECT id, buyer_id, stage, created_at FROM tickets
         WHERE first_response_due < $1 AND first_response_at IS NULL
           AND NOT breached AND NOT is_task AND sla_paused_at IS NULL AND status IN ",
    active_in!(),
    "
        UNION
        SELECT id, buyer_id, stage, created_at FROM tickets
         WHERE resolution_due < $1
           AND NOT breached AND NOT is_task AND sla_paused_at IS NULL AND status IN ",
    active_in!(),
    "
     ) due ORDER BY created_at, id LIMIT $2"
);

pub async fn newly_breached(db: &Db, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<(Uuid, Uuid, Stage)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as(NEWLY_BREACHED).bind(now).bind(limit).fetch_all(p).await)?)
}

/// Flags a breach, raises the priority one step and puts the breach on the timeline; false
/// if it was flagged already.
pub async fn flag_breach_tx(tx: &mut Tx, ticket_id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let flagged = mark_breached_tx(tx, ticket_id).await?;
    if flagged {
        super::tickets::insert_event(tx, ticket_id, None, &crate::domain::TicketEvent::SlaBreached, now).await?;
    }
    Ok(flagged)
}

/// Flags a breach and raises the priority one step.
async fn mark_breached_tx(tx: &mut Tx, ticket_id: Uuid) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query(
        "UPDATE tickets SET breached = TRUE, version = version + 1,
            priority = CASE priority WHEN 'low' THEN 'normal' WHEN 'normal' THEN 'high' ELSE 'urgent' END
         WHERE id = $1 AND NOT breached")
        .bind(ticket_id).execute(c).await)?;
    Ok(n == 1)
}

/// Pauses or resumes a ticket's SLA clock with new due times.
pub async fn set_pause_tx(
    tx: &mut Tx, ticket_id: Uuid, paused_at: Option<DateTime<Utc>>, first_response_due: Option<DateTime<Utc>>,
    resolution_due: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query("UPDATE tickets SET sla_paused_at = $2, first_response_due = $3, resolution_due = $4 WHERE id = $1")
        .bind(ticket_id).bind(paused_at).bind(first_response_due).bind(resolution_due).execute(c).await)?;
    Ok(())
}

/// Online staff idle since before `cutoff` become away.
pub async fn auto_away(db: &Db, cutoff: DateTime<Utc>) -> StoreResult<u64> {
    Ok(crate::exec_pool!(db.write(), p => sqlx::query(
        "UPDATE staff SET presence = 'away' WHERE presence = 'online' AND last_seen_at IS NOT NULL AND last_seen_at < $1")
        .bind(cutoff).execute(p).await)?)
}

/// Records that a staff member is active (see [`needs_touch`] for how often).
pub async fn touch(db: &Db, staff_id: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
    crate::exec_pool!(db.write(), p => sqlx::query("UPDATE staff SET last_seen_at = $2 WHERE id = $1")
        .bind(staff_id).bind(now).execute(p).await)?;
    Ok(())
}

/// Activity is written at most once a minute per person: page loads are the hot path, and on
/// SQLite every write statement takes the single writer.
pub fn needs_touch(last_seen: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_seen.is_none_or(|t| now - t >= chrono::Duration::seconds(60))
}

/// Adds a rule at the end of the list.
pub async fn insert_rule(tx: &mut Tx, r: &Rule, now: DateTime<Utc>) -> StoreResult<()> {
    let (pos,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(position), -1) + 1 AS BIGINT) FROM routing_rules").fetch_one(c).await)?;
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO routing_rules (id, position, stage, category, channel, member_level, keyword, team, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(r.id).bind(pos).bind(r.stage).bind(r.category).bind(r.channel).bind(r.member_level.as_deref())
        .bind(r.keyword.as_deref()).bind(r.team).bind(now).execute(c).await)?;
    Ok(())
}

pub async fn delete_rule(tx: &mut Tx, id: Uuid) -> StoreResult<bool> {
    let n = exec_tx!(tx, c => sqlx::query("DELETE FROM routing_rules WHERE id = $1").bind(id).execute(c).await)?;
    Ok(n == 1)
}

/// Rewrites rule positions in the given order.
pub async fn reorder(tx: &mut Tx, ids: &[Uuid]) -> StoreResult<()> {
    for (pos, id) in ids.iter().enumerate() {
        exec_tx!(tx, c => sqlx::query("UPDATE routing_rules SET position = $2 WHERE id = $1")
            .bind(*id).bind(pos as i64).execute(c).await)?;
    }
    Ok(())
}

pub async fn strategies(db: &Db) -> StoreResult<Vec<(Skill, Strategy)>> {
    Ok(on_pool!(db.read(), p => sqlx::query_as("SELECT team, strategy FROM team_settings").fetch_all(p).await)?)
}

pub async fn set_strategy(tx: &mut Tx, team: Skill, strategy: Strategy) -> StoreResult<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO team_settings (team, strategy) VALUES ($1, $2) ON CONFLICT (team) DO UPDATE SET strategy = excluded.strategy")
        .bind(team).bind(strategy).execute(c).await)?;
    Ok(())
}
