//! Who gets a new ticket: which team (by ordered rules, first match wins) and which agent of
//! it (sticky buyer, least-loaded or round-robin, never over capacity, only agents on shift
//! and online). Pure: the store gathers the facts, this decides, the timeline records why.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Category, Channel, Skill, Stage};

/// A routing rule: every condition given must hold; the first matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: Uuid,
    pub stage: Option<Stage>,
    pub category: Option<Category>,
    pub channel: Option<Channel>,
    pub member_level: Option<String>,
    /// Matched in the buyer's first message.
    pub keyword: Option<String>,
    pub team: Skill,
}

/// The shop's routing: its rules in order and each team's strategy. Read before a new
/// ticket's transaction (they change a few times a year, tickets arrive many times a second).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub rules: Vec<Rule>,
    pub strategies: Vec<(Skill, Strategy)>,
}

impl Plan {
    /// The team's strategy; least-loaded for a team nobody has set one for.
    pub fn strategy(&self, team: Skill) -> Strategy {
        self.strategies.iter().find(|(t, _)| *t == team).map_or(Strategy::LeastLoaded, |(_, s)| *s)
    }
}

/// What routing knows about a new ticket.
#[derive(Debug, Clone)]
pub struct TicketFacts<'a> {
    pub stage: Stage,
    pub category: Category,
    pub channel: Channel,
    pub member_level: &'a str,
    pub first_message: &'a str,
}

/// The team for a ticket: the first rule that matches, else the stage's own team.
pub fn team_for<'r>(rules: &'r [Rule], t: &TicketFacts<'_>) -> (Skill, Option<&'r Rule>) {
    let hit = rules.iter().find(|r| {
        r.stage.is_none_or(|s| s == t.stage)
            && r.category.is_none_or(|c| c == t.category)
            && r.channel.is_none_or(|c| c == t.channel)
            && r.member_level.as_deref().is_none_or(|m| m == t.member_level)
            && r.keyword.as_deref().is_none_or(|k| !k.is_empty() && t.first_message.contains(k))
    });
    match hit {
        Some(r) => (r.team, Some(r)),
        None => (stage_team(t.stage), None),
    }
}

pub fn stage_team(stage: Stage) -> Skill {
    match stage {
        Stage::Presale => Skill::Presale,
        Stage::Insale => Skill::Insale,
        Stage::Aftersale => Skill::Aftersale,
    }
}

/// The stage a team's work belongs to, for listing every team on the board: the stage teams
/// their own stage, the back-end teams where their work comes from (parcels in transit, money
/// and complaints after the sale).
pub fn team_stage(team: Skill) -> Stage {
    match team {
        Skill::Presale => Stage::Presale,
        Skill::Insale | Skill::Logistics => Stage::Insale,
        Skill::Aftersale | Skill::Refund | Skill::Complaint => Stage::Aftersale,
    }
}

super::enums::str_enum! {
    /// How a team picks among its available agents.
    Strategy: "routing strategy" { LeastLoaded = "least_loaded", RoundRobin = "round_robin" }
}

/// The most open tickets an agent can be set to hold; routing counts loads only up to just
/// past it (store::routing::agents_tx).
pub const MAX_CAPACITY: i64 = 500;

/// An agent of the team, as routing sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub id: Uuid,
    /// Open (active) tickets assigned now, counted up to just past the team's largest
    /// capacity (more makes no difference to who can take a ticket).
    pub open: i64,
    pub capacity: i64,
    /// On shift now and online.
    pub available: bool,
    /// When they were last given a ticket (round-robin turns).
    pub last_assigned: Option<DateTime<Utc>>,
}

impl Agent {
    fn can_take(&self) -> bool {
        self.available && self.open < self.capacity
    }
}

super::enums::str_enum! {
    /// Why routing chose as it did: `sticky` is the buyer's previous agent, still available with
    /// room; `nobody_available` means nobody of the team on shift and online, `all_busy` that
    /// those who are have no room (both wait in the queue).
    Why: "routing reason" {
        Sticky = "sticky", LeastLoaded = "least_loaded", RoundRobin = "round_robin",
        NobodyAvailable = "nobody_available", AllBusy = "all_busy",
    }
}

/// Picks the agent. `sticky` is the agent who served this buyer last, if within the window.
pub fn choose(agents: &[Agent], strategy: Strategy, sticky: Option<Uuid>) -> (Option<Uuid>, Why) {
    if let Some(prev) = sticky.and_then(|s| agents.iter().find(|a| a.id == s)).filter(|a| a.can_take()) {
        return (Some(prev.id), Why::Sticky);
    }
    let able = agents.iter().filter(|a| a.can_take());
    let pick = match strategy {
        // Fewest open tickets; ties go to whoever waited longest for a ticket.
        Strategy::LeastLoaded => {
            able.min_by(|a, b| (a.open, a.last_assigned, a.id).cmp(&(b.open, b.last_assigned, b.id)))
        }
        // Whoever's turn it is: the longest since their last ticket (never-assigned first).
        Strategy::RoundRobin => able.min_by(|a, b| (a.last_assigned, a.id).cmp(&(b.last_assigned, b.id))),
    };
    match pick {
        Some(a) => (Some(a.id), if strategy == Strategy::LeastLoaded { Why::LeastLoaded } else { Why::RoundRobin }),
        None if agents.iter().any(|a| a.available) => (None, Why::AllBusy),
        None => (None, Why::NobodyAvailable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn agent(n: u128, open: i64, capacity: i64, available: bool, last_min_ago: Option<i64>) -> Agent {
        let now = Utc::now();
        Agent { id: id(n), open, capacity, available, last_assigned: last_min_ago.map(|m| now - Duration::minutes(m)) }
    }

    #[test]
    fn least_loaded_skips_the_full_and_the_absent() {
        let agents = [
            agent(1, 5, 5, true, None),
            agent(2, 3, 10, true, Some(1)),
            agent(3, 0, 10, false, None),
            agent(4, 2, 10, true, Some(5)),
        ];
        assert_eq!(choose(&agents, Strategy::LeastLoaded, None), (Some(id(4)), Why::LeastLoaded));
    }

    #[test]
    fn ties_go_to_the_longest_idle() {
        let agents = [agent(1, 2, 10, true, Some(1)), agent(2, 2, 10, true, Some(9)), agent(3, 2, 10, true, None)];
        assert_eq!(choose(&agents, Strategy::LeastLoaded, None).0, Some(id(3)), "never assigned comes first");
    }

    #[test]
    fn round_robin_is_fair() {
        // Repeatedly assign, updating last_assigned: every agent gets a turn before anyone twice.
        let mut agents = vec![agent(1, 0, 100, true, None), agent(2, 0, 100, true, None), agent(3, 0, 100, true, None)];
        let mut counts = [0; 3];
        let base = Utc::now();
        for round in 0..30 {
            let (who, why) = choose(&agents, Strategy::RoundRobin, None);
            assert_eq!(why, Why::RoundRobin);
            let i = agents.iter().position(|a| Some(a.id) == who).unwrap();
            counts[i] += 1;
            agents[i].open += 1;
            agents[i].last_assigned = Some(base + Duration::seconds(round));
        }
        assert_eq!(counts, [10, 10, 10]);
    }

    #[test]
    fn sticky_buyers_return_to_their_agent_if_they_can_take_it() {
        let agents = [agent(1, 0, 10, true, None), agent(2, 7, 10, true, Some(1))];
        assert_eq!(choose(&agents, Strategy::LeastLoaded, Some(id(2))), (Some(id(2)), Why::Sticky));
        let full = [agent(1, 0, 10, true, None), agent(2, 10, 10, true, Some(1))];
        assert_eq!(
            choose(&full, Strategy::LeastLoaded, Some(id(2))),
            (Some(id(1)), Why::LeastLoaded),
            "over capacity: not sticky"
        );
        let away = [agent(1, 0, 10, true, None), agent(2, 0, 10, false, Some(1))];
        assert_eq!(choose(&away, Strategy::LeastLoaded, Some(id(2))).1, Why::LeastLoaded, "off shift: not sticky");
        assert_eq!(choose(&agents, Strategy::LeastLoaded, Some(id(9))).1, Why::LeastLoaded, "not in the team");
    }

    #[test]
    fn nobody_available_goes_to_the_queue() {
        let agents = [agent(1, 3, 3, true, None), agent(2, 0, 5, false, None)];
        assert_eq!(choose(&agents, Strategy::RoundRobin, None), (None, Why::AllBusy), "on shift but full");
        let off = [agent(2, 0, 5, false, None)];
        assert_eq!(choose(&off, Strategy::RoundRobin, None), (None, Why::NobodyAvailable), "nobody on shift");
        assert_eq!(choose(&[], Strategy::LeastLoaded, None), (None, Why::NobodyAvailable));
    }

    #[test]
    fn rules_first_match_wins_else_the_stage_team() {
        let rules = vec![
            Rule {
                id: id(1),
                stage: Some(Stage::Aftersale),
                category: Some(Category::Refund),
                channel: None,
                member_level: None,
                keyword: None,
                team: Skill::Refund,
            },
            Rule {
                id: id(2),
                stage: None,
                category: None,
                channel: None,
                member_level: None,
                keyword: Some("差评".into()),
                team: Skill::Complaint,
            },
            Rule {
                id: id(3),
                stage: None,
                category: None,
                channel: None,
                member_level: Some("钻石会员".into()),
                keyword: None,
                team: Skill::Aftersale,
            },
        ];
        let t = |stage, category, member: &'static str, msg: &'static str| TicketFacts {
            stage,
            category,
            channel: Channel::Chat,
            member_level: member,
            first_message: msg,
        };
        assert_eq!(team_for(&rules, &t(Stage::Aftersale, Category::Refund, "", "退款")).0, Skill::Refund);
        assert_eq!(team_for(&rules, &t(Stage::Presale, Category::Inquiry, "", "我要给差评")).0, Skill::Complaint);
        assert_eq!(team_for(&rules, &t(Stage::Presale, Category::Inquiry, "钻石会员", "在吗")).0, Skill::Aftersale);
        let (team, rule) = team_for(&rules, &t(Stage::Insale, Category::Logistics, "", "到哪了"));
        assert_eq!((team, rule), (Skill::Insale, None));
    }
}
