//! Routing a new ticket to a team and an agent, and setting its SLA due times.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::ServiceResult;
use crate::domain::routing::{self, Plan, TicketFacts};
use crate::domain::sla;
use crate::domain::{Category, Channel, Priority, Settings, Skill, Stage, TicketEvent};
use crate::live::{Hub, LiveEvent};
use crate::store::{self, Db, Tx};

/// A new ticket, as routing needs it.
pub struct NewTicketFacts<'a> {
    pub ticket_id: Uuid,
    pub buyer_id: Uuid,
    pub stage: Stage,
    pub category: Category,
    pub channel: Channel,
    pub priority: Priority,
    pub member_level: &'a str,
    pub first_message: &'a str,
    /// A team chosen by a person (work orders); rules are not consulted.
    pub team: Option<Skill>,
    /// A due time chosen by a person (work orders), for both the first response and the
    /// resolution; otherwise the SLA's targets for the stage and priority.
    pub due: Option<DateTime<Utc>>,
    /// The buyer was made with this ticket: there is no earlier agent to return to.
    pub new_buyer: bool,
}

/// What routing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub team: Skill,
    pub agent: Option<Uuid>,
    pub why: routing::Why,
    /// When everyone on shift is full: how long the oldest buyer in the team's queue (before
    /// this ticket) has waited. Zero otherwise.
    pub queue_wait: Duration,
}

impl Routed {
    /// Nobody of the team is on shift and online: the shop is away.
    pub fn away(&self) -> bool {
        self.why == routing::Why::NobodyAvailable
    }
}

/// Routes inside the caller's transaction: team by the plan's rules, agent by the team's
/// strategy (given under a per-team lock, so capacity holds when tickets arrive together), SLA due
/// times, and a timeline event saying which rule, which agent and why. The caller reads the
/// plan before its transaction ([`store::routing::plan`]): inside, on SQLite, each read is a
/// turn on the one writer that every arrival waits for.
pub async fn route_tx(
    tx: &mut Tx, f: &NewTicketFacts<'_>, s: &Settings, plan: &Plan, now: DateTime<Utc>,
) -> ServiceResult<Routed> {
    let facts = TicketFacts {
        stage: f.stage,
        category: f.category,
        channel: f.channel,
        member_level: f.member_level,
        first_message: f.first_message,
    };
    let (team, rule) = match f.team {
        Some(team) => (team, None),
        None => routing::team_for(&plan.rules, &facts),
    };
    let strategy = plan.strategy(team);
    let sticky = if s.sticky() > Duration::zero() && !f.new_buyer {
        store::routing::previous_agent_tx(tx, f.buyer_id, f.ticket_id, now - s.sticky()).await?
    } else {
        None
    };
    let mut choice = routing::choose(&store::routing::agents_tx(tx, team, now).await?, strategy, sticky);
    // Only a ticket given to an agent needs the team's lock (so two arrivals cannot take the
    // same free slot); it is held to the commit. One that waits in the queue (the team away,
    // or everyone full: the 双十一 case) does not take it, so new conversations do not wait
    // for each other's commits. Under the lock the loads are read again; SQLite's one writer
    // already serialises, so its first reading stands.
    if choice.0.is_some() && store::routing::lock_team(tx, team).await? {
        choice = routing::choose(&store::routing::agents_tx(tx, team, now).await?, strategy, sticky);
    }
    let (agent, why) = choice;
    let due = match f.due {
        Some(due) => (due, due),
        None => {
            let targets = s.targets_for(f.stage, f.priority);
            (
                sla::add(now, targets.first_response, s.sla_hours(), s.shop.time_zone),
                sla::add(now, targets.resolution, s.sla_hours(), s.shop.time_zone),
            )
        }
    };
    let event = TicketEvent::Routed { team, agent, why, rule: rule.map(|r| r.id), from_queue: false };
    store::routing::assign_routed_tx(tx, f.ticket_id, team, agent, Some(due), &event, now).await?;
    let queue_wait = match why {
        routing::Why::AllBusy => match store::routing::oldest_waiting_tx(tx, team, f.ticket_id).await? {
            Some(since) => (now - since).max(Duration::zero()),
            None => Duration::zero(),
        },
        _ => Duration::zero(),
    };
    Ok(Routed { team, agent, why, queue_wait })
}

/// Breaches flagged in one transaction: a hundred keep the writer about 10 ms.
const BREACHES_PER_COMMIT: usize = 100;

/// Flags up to `limit` active tickets past a due time as breached, the oldest first: the
/// priority raised one step and the breach on the timeline. Returns those flagged (ticket,
/// buyer, stage).
///
/// A hundred to a transaction: one each, a backlog's catch-up (a store restored or seeded, a
/// server down for an hour) was hundreds of commits a tick, and on SQLite every commit
/// empties each reader's page cache.
pub async fn flag_breaches(db: &Db, now: DateTime<Utc>, limit: i64) -> ServiceResult<Vec<(Uuid, Uuid, Stage)>> {
    let due = store::routing::newly_breached(db, now, limit).await?;
    let mut flagged = Vec::with_capacity(due.len());
    for batch in due.chunks(BREACHES_PER_COMMIT) {
        let mut tx = db.begin().await?;
        let before = flagged.len();
        for &(ticket_id, buyer_id, stage) in batch {
            if store::routing::flag_breach_tx(&mut tx, ticket_id, now).await? {
                flagged.push((ticket_id, buyer_id, stage));
            }
        }
        if flagged.len() > before {
            tx.commit().await?;
        }
    }
    Ok(flagged)
}

/// What one round of routing housekeeping did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub picked_up: usize,
    pub breached: usize,
    pub went_away: u64,
}

/// Routing housekeeping, run on a timer: idle agents are set away, unassigned tickets go to
/// agents who became free (oldest first), and SLA breaches are flagged (priority raised,
/// supervisors told live). Each touches only the rows that are due.
pub async fn housekeeping(db: &Db, hub: &Hub, now: DateTime<Utc>) -> ServiceResult<Report> {
    let (settings, plan) = tokio::try_join!(super::settings::load(db), async { Ok(store::routing::plan(db).await?) })?;
    let idle_since = now - Duration::minutes(settings.routing.idle_minutes);
    let mut report = Report { went_away: store::routing::auto_away(db, idle_since).await?, ..Report::default() };

    // Pick up the unassigned queue, oldest first, while someone can take a ticket.
    for team in Skill::ALL {
        let waiting = store::routing::unassigned(db, *team, 200).await?;
        for (ticket_id, buyer_id) in waiting {
            let mut tx = db.begin().await?;
            store::routing::lock_team(&mut tx, *team).await?;
            let strategy = plan.strategy(*team);
            let agents = store::routing::agents_tx(&mut tx, *team, now).await?;
            let (Some(agent), why) = routing::choose(&agents, strategy, None) else {
                break; // nobody free in this team: the rest wait too
            };
            if store::routing::pick_up_tx(&mut tx, ticket_id, agent, now).await? {
                let event = TicketEvent::Routed { team: *team, agent: Some(agent), why, rule: None, from_queue: true };
                store::tickets::insert_event(&mut tx, ticket_id, None, &event, now).await?;
                let stage = store::tickets::by_id(&mut tx, ticket_id).await?.map(|t| t.stage);
                tx.commit().await?;
                if let Some(stage) = stage {
                    hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
                }
                report.picked_up += 1;
            }
        }
    }

    for (ticket_id, buyer_id, stage) in flag_breaches(db, now, 500).await? {
        hub.publish(LiveEvent::Ticket { ticket_id, buyer_id, stage }).await;
        hub.publish(LiveEvent::Breach { ticket_id, stage }).await;
        report.breached += 1;
    }
    Ok(report)
}
