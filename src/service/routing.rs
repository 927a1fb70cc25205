//! Routing a new ticket to a team and an agent, and setting its SLA due times.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use super::ServiceResult;
use crate::domain::routing::{self, TicketFacts};
use crate::domain::sla::{self, BusinessHours};
use crate::domain::{Category, Channel, Priority, Skill, Stage};
use crate::store::{self, Db, Tx};

/// Shop settings routing, SLAs and greetings need, read in one query per request.
#[derive(Debug, Clone)]
pub struct RoutingSettings {
    pub tz: Tz,
    /// Count SLA time in business hours only (setting `sla.business_hours_only`).
    pub hours: Option<BusinessHours>,
    pub business_hours_text: String,
    /// How long a returning buyer goes back to their previous agent.
    pub sticky: Duration,
    /// Sent when a buyer opens a conversation.
    pub welcome: Option<String>,
    /// Sent when nobody of the team is available.
    pub away: Option<String>,
    /// Normal-priority targets per stage (settings `sla.<stage>.first_minutes` and
    /// `sla.<stage>.resolve_hours`, else the defaults).
    pub targets: Vec<(Stage, sla::Targets)>,
}

impl RoutingSettings {
    pub fn targets_for(&self, stage: Stage, priority: Priority) -> sla::Targets {
        let base = self.targets.iter().find(|(s, _)| *s == stage).map_or(sla::default_targets(stage), |(_, t)| *t);
        sla::scaled(base, priority)
    }
}

impl RoutingSettings {
    pub async fn load(db: &Db) -> ServiceResult<RoutingSettings> {
        let all = store::settings::all(db).await?;
        let get = |k: &str| all.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let hours_text = get("business_hours").unwrap_or("").to_string();
        let only_business = get("sla.business_hours_only") == Some("on");
        Ok(RoutingSettings {
            tz: crate::domain::timefmt::shop_tz(get("time_zone")),
            welcome: get("welcome_text").filter(|w| !w.trim().is_empty()).map(str::to_string),
            away: get("away_text").filter(|a| !a.trim().is_empty()).map(str::to_string),
            hours: if only_business { BusinessHours::parse(&hours_text) } else { None },
            business_hours_text: hours_text,
            sticky: Duration::hours(
                get("routing.sticky_hours")
                    .and_then(|h| h.parse().ok())
                    .filter(|h: &i64| (0..=720).contains(h))
                    .unwrap_or(48),
            ),
            targets: Stage::ALL
                .iter()
                .map(|stage| {
                    let d = sla::default_targets(*stage);
                    let num = |k: String, lo: i64, hi: i64| {
                        get(&k).and_then(|v| v.parse::<i64>().ok()).filter(|n| (lo..=hi).contains(n))
                    };
                    let first = num(format!("sla.{}.first_minutes", stage.as_str()), 1, 1440)
                        .map_or(d.first_response, Duration::minutes);
                    let resolve = num(format!("sla.{}.resolve_hours", stage.as_str()), 1, 720)
                        .map_or(d.resolution, Duration::hours);
                    (*stage, sla::Targets { first_response: first, resolution: resolve })
                })
                .collect(),
        })
    }
}

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
}

/// What routing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routed {
    pub team: Skill,
    pub agent: Option<Uuid>,
    pub why: routing::Why,
}

/// Routes inside the caller's transaction: team by rules, agent by the team's strategy
/// (under a per-team lock, so capacity holds when tickets arrive together), SLA due times,
/// and a timeline event saying which rule, which agent and why.
pub async fn route_tx(
    tx: &mut Tx,
    f: &NewTicketFacts<'_>,
    s: &RoutingSettings,
    now: DateTime<Utc>,
) -> ServiceResult<Routed> {
    let rules = store::routing::rules_tx(tx).await?;
    let facts = TicketFacts {
        stage: f.stage,
        category: f.category,
        channel: f.channel,
        member_level: f.member_level,
        first_message: f.first_message,
    };
    let (team, rule) = match f.team {
        Some(team) => (team, None),
        None => routing::team_for(&rules, &facts),
    };
    store::routing::lock_team(tx, team).await?;
    let strategy = store::routing::strategy_tx(tx, team).await?;
    let agents = store::routing::agents_tx(tx, team, now).await?;
    let sticky = if s.sticky > Duration::zero() {
        store::routing::previous_agent_tx(tx, f.buyer_id, f.ticket_id, now - s.sticky).await?
    } else {
        None
    };
    let (agent, why) = routing::choose(&agents, strategy, sticky);
    store::routing::assign_tx(tx, f.ticket_id, team, agent, now).await?;
    let targets = s.targets_for(f.stage, f.priority);
    store::routing::set_due_tx(
        tx,
        f.ticket_id,
        sla::add(now, targets.first_response, s.hours, s.tz),
        sla::add(now, targets.resolution, s.hours, s.tz),
    )
    .await?;
    let detail = format!(
        "{};{};{};{}",
        team.as_str(),
        agent.map(|a| a.to_string()).unwrap_or_default(),
        why.as_str(),
        rule.map(|r| r.id.to_string()).unwrap_or_default()
    );
    store::tickets::insert_event(tx, f.ticket_id, None, "routed", &detail, now).await?;
    Ok(Routed { team, agent, why })
}
