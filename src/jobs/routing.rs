//! Routing housekeeping, run on a timer: unassigned tickets go to agents who became free
//! (oldest first), SLA breaches are flagged (priority raised, supervisors told live), and
//! idle agents are marked away.

use chrono::{DateTime, Duration, Utc};

use crate::domain::Skill;
use crate::domain::routing;
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, StoreResult};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub picked_up: usize,
    pub breached: usize,
    pub went_away: u64,
}

/// Idle minutes before an online agent is shown as away (setting `presence.idle_minutes`).
async fn idle_minutes(db: &Db) -> StoreResult<i64> {
    Ok(store::settings::get(db, "presence.idle_minutes")
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|m: &i64| (1..=480).contains(m))
        .unwrap_or(15))
}

pub async fn run_once(db: &Db, hub: &Hub, now: DateTime<Utc>) -> StoreResult<Report> {
    let mut report = Report::default();
    report.went_away = store::routing::auto_away(db, now - Duration::minutes(idle_minutes(db).await?)).await?;

    // Pick up the unassigned queue, oldest first, while someone can take a ticket.
    for team in Skill::ALL {
        let waiting = store::routing::unassigned(db, *team, 200).await?;
        for (ticket_id, buyer_id) in waiting {
            let mut tx = db.begin().await?;
            store::routing::lock_team(&mut tx, *team).await?;
            let strategy = store::routing::strategy_tx(&mut tx, *team).await?;
            let agents = store::routing::agents_tx(&mut tx, *team, now).await?;
            let (Some(agent), why) = routing::choose(&agents, strategy, None) else {
                break; // nobody free in this team: the rest wait too
            };
            if store::routing::pick_up_tx(&mut tx, ticket_id, agent, now).await? {
                let detail = format!("{};{agent};{};queue", team.as_str(), why.as_str());
                store::tickets::insert_event(&mut tx, ticket_id, None, "routed", &detail, now).await?;
                tx.commit().await?;
                let stage = store::tickets::by_id(db, ticket_id).await?.map(|t| t.stage);
                if let Some(stage) = stage {
                    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
                }
                report.picked_up += 1;
            }
        }
    }

    // SLA breaches.
    for (ticket_id, buyer_id, stage) in store::routing::newly_breached(db, now, 500).await? {
        let mut tx = db.begin().await?;
        if store::routing::mark_breached_tx(&mut tx, ticket_id).await? {
            store::tickets::insert_event(&mut tx, ticket_id, None, "sla_breached", "", now).await?;
            tx.commit().await?;
            hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
            hub.publish(LiveEvent::Breach { ticket_id, stage }).await;
            report.breached += 1;
        }
    }
    Ok(report)
}

/// Runs the routing housekeeping every `every` until the process ends.
pub fn spawn(db: Db, hub: Hub, every: std::time::Duration) {
    super::every(every, move || {
        let (db, hub) = (db.clone(), hub.clone());
        async move {
            if let Err(e) = run_once(&db, &hub, Utc::now()).await {
                tracing::warn!(error = %e, "routing run failed");
            }
        }
    });
}
