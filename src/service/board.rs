//! Supervisor actions on the queue board: bulk reassign or reprioritise (one transaction:
//! all tickets or none), and redistributing one agent's tickets to their teams.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{ServiceError, ServiceResult};
use crate::domain::routing::{self, Strategy};
use crate::domain::{Priority, Role, Skill};
use crate::store::{self, Db, staff::Staff};

pub enum Bulk {
    Assign(Option<Uuid>),
    Priority(Priority),
}

pub async fn bulk(db: &Db, staff: &Staff, ids: &[Uuid], action: &Bulk, now: DateTime<Utc>) -> ServiceResult<usize> {
    if !staff.role.at_least(Role::Supervisor) {
        return Err(ServiceError::Forbidden);
    }
    if ids.is_empty() {
        return Err(ServiceError::field("tickets", "none_selected"));
    }
    if let Bulk::Assign(Some(a)) = action {
        match store::staff::by_id(db, *a).await? {
            Some(s) if s.active => {}
            _ => return Err(ServiceError::field("assignee", "invalid")),
        }
    }
    let mut tx = db.begin().await?;
    for id in ids {
        let (ok, kind, detail) = match action {
            Bulk::Assign(a) => (
                store::board::set_assignee_tx(&mut tx, *id, *a).await?,
                "assigned",
                a.map(|x| x.to_string()).unwrap_or_default(),
            ),
            Bulk::Priority(p) => {
                (store::board::set_priority_tx(&mut tx, *id, *p).await?, "priority", p.as_str().to_string())
            }
        };
        if !ok {
            // One ticket is gone or closed: the whole batch is refused, nothing changes.
            return Err(ServiceError::field("tickets", "bulk_stale"));
        }
        store::tickets::insert_event(&mut tx, *id, Some(staff.id), kind, &detail, now).await?;
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
        store::tickets::insert_event(
            &mut tx,
            id,
            Some(staff.id),
            "assigned",
            &target.map(|t| t.to_string()).unwrap_or_default(),
            now,
        )
        .await?;
        if target.is_some() { moved += 1 } else { queued += 1 }
    }
    tx.commit().await?;
    Ok((moved, queued))
}
