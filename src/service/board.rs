//! Supervisor actions on the queue board: bulk reassign or reprioritise (one transaction:
//! all tickets or none), and redistributing one agent's tickets to their teams.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ServiceError, ServiceResult};
use crate::domain::routing::{self, Strategy};
use crate::domain::{ErrorCode, Priority, Role, Skill, TicketEvent};
use crate::store::{self, Db, staff::Staff};

pub use crate::store::board::{AgentLoad, BoardTicket, QueueCounts};

/// The queue board: counts per stage and team (due within 15 minutes as of `now`), every
/// agent's presence and load, and the tickets needing attention.
pub struct Board {
    pub counts: Vec<QueueCounts>,
    pub agents: Vec<AgentLoad>,
    pub attention: Vec<BoardTicket>,
}

pub async fn board(db: &Db, now: DateTime<Utc>) -> ServiceResult<Board> {
    let (counts, agents, attention) = tokio::try_join!(
        store::board::counts(db, now, now + chrono::Duration::minutes(15)),
        store::board::agents(db, now),
        store::board::attention(db, 100),
    )?;
    Ok(Board { counts: every_team(counts), agents, attention })
}

/// The counts with a row for every team, idle ones too: an empty queue is news a supervisor
/// wants to see, not a missing line.
fn every_team(mut counts: Vec<QueueCounts>) -> Vec<QueueCounts> {
    for team in Skill::ALL {
        if !counts.iter().any(|c| c.team == team.as_str()) {
            counts.push(QueueCounts {
                stage: routing::team_stage(*team),
                team: team.as_str().to_string(),
                unassigned: 0,
                open: 0,
                breached: 0,
                due_soon: 0,
            });
        }
    }
    counts.sort_by(|a, b| (a.stage, &a.team).cmp(&(b.stage, &b.team)));
    counts
}

pub enum Bulk {
    Assign(Option<Uuid>),
    Priority(Priority),
}

pub async fn bulk(db: &Db, staff: &Staff, ids: &[Uuid], action: &Bulk, now: DateTime<Utc>) -> ServiceResult<usize> {
    if !staff.role.at_least(Role::Supervisor) {
        return Err(ServiceError::Forbidden);
    }
    if ids.is_empty() {
        return Err(ServiceError::field("tickets", ErrorCode::NoneSelected));
    }
    if let Bulk::Assign(Some(a)) = action {
        match store::staff::by_id(db, *a).await? {
            Some(s) if s.active => {}
            _ => return Err(ServiceError::field("assignee", ErrorCode::Invalid)),
        }
    }
    let mut tx = db.begin().await?;
    for id in ids {
        let (ok, event) = match action {
            Bulk::Assign(a) => {
                (store::board::set_assignee_tx(&mut tx, *id, *a).await?, TicketEvent::Assigned { to: *a })
            }
            Bulk::Priority(p) => {
                (store::board::set_priority_tx(&mut tx, *id, *p).await?, TicketEvent::Priority { priority: *p })
            }
        };
        if !ok {
            // One ticket is gone or closed: the whole batch is refused, nothing changes.
            return Err(ServiceError::field("tickets", ErrorCode::BulkStale));
        }
        store::tickets::insert_event(&mut tx, *id, Some(staff.id), &event, now).await?;
    }
    tx.commit().await?;
    Ok(ids.len())
}

/// Hands all of `from`'s active tickets to available colleagues of each ticket's team
/// (least loaded first, within capacity); tickets nobody can take become unassigned and wait
/// in their team's queue.
pub async fn redistribute(db: &Db, staff: &Staff, from: Uuid, now: DateTime<Utc>) -> ServiceResult<(usize, usize)> {
    if !staff.role.at_least(Role::Supervisor) {
        return Err(ServiceError::Forbidden);
    }
    store::staff::by_id(db, from).await?.ok_or(ServiceError::NotFound)?;
    let mut tx = db.begin().await?;
    let tickets = store::board::of_agent_tx(&mut tx, from).await?;
    let (mut moved, mut queued) = (0, 0);
    for (id, team) in tickets {
        let team: Option<Skill> = team.and_then(|t| t.parse().ok());
        let target = match team {
            Some(team) => {
                store::routing::lock_team(&mut tx, team).await?;
                let agents: Vec<_> =
                    store::routing::agents_tx(&mut tx, team, now).await?.into_iter().filter(|a| a.id != from).collect();
                routing::choose(&agents, Strategy::LeastLoaded, None).0
            }
            None => None,
        };
        store::board::set_assignee_tx(&mut tx, id, target).await?;
        store::tickets::insert_event(&mut tx, id, Some(staff.id), &TicketEvent::Assigned { to: target }, now).await?;
        if target.is_some() { moved += 1 } else { queued += 1 }
    }
    tx.commit().await?;
    Ok((moved, queued))
}
